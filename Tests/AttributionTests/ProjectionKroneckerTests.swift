@testable import Attribution
@testable import DiffusionModel
import Numerics
import Testing

@Suite("Kronecker projection")
struct ProjectionKroneckerTests {
    private let layers = [
        ObservedLayer(name: "a", kind: .linear, inputFeatures: 6, outputFeatures: 5, hasBias: true),
        ObservedLayer(name: "b", kind: .conv2d(kernelSize: 3, stride: 1, padding: 1), inputFeatures: 18, outputFeatures: 4,
                      hasBias: false),
    ]

    @Test func layoutRecordsEffectiveDimensionsAndTilesTheVector() {
        let projection = KroneckerProjection(layers: layers, dimensions: .fixed(inputs: 3, outputs: 8), seed: 1)
        let blocks = projection.layout.blocks
        #expect(blocks.map(\.layer) == ["a", "b"])
        #expect(blocks.map(\.inputDimension) == [7, 18])
        #expect(blocks.map(\.outputDimension) == [5, 4])
        #expect(blocks.map(\.projectedInputs) == [3, 3])
        #expect(blocks.map(\.projectedOutputs) == [5, 4])  // clamped: 8 exceeds both layers' outputs
        #expect(blocks.map(\.offset) == [0, 15])
        #expect(projection.layout.dimension == 27)

        let identity = KroneckerProjection(layers: layers, dimensions: .identity, seed: 1)
        #expect(identity.layout.blocks.map(\.count) == [35, 72])
    }

    @Test func clampedSidesAreTheIdentity() {
        let projection = KroneckerProjection(layers: layers, dimensions: .fixed(inputs: 3, outputs: 8), seed: 1)
        let gradients = Tensor(shape: [2, 5], scalars: (0..<10).map(Float.init))
        #expect(projection.projectOutputGradients(gradients, layer: 0) == gradients)
        #expect(projection.outputMatrix(layer: 0) == Self.identity(5))
    }

    @Test func identityAppendsTheHomogeneousCoordinate() {
        let projection = KroneckerProjection(layers: layers, dimensions: .identity, seed: 1)
        let inputs = Tensor(shape: [2, 6], scalars: (0..<12).map(Float.init))
        let projected = projection.projectInputs(inputs, layer: 0)
        #expect(projected.shape == [2, 7])
        #expect(projected.scalars == [0, 1, 2, 3, 4, 5, 1, 6, 7, 8, 9, 10, 11, 1])
        let noBias = Tensor(shape: [1, 18], repeating: 2)
        #expect(projection.projectInputs(noBias, layer: 1) == noBias)
    }

    @Test func projectedRowsEqualExplicitProducts() {
        let projection = KroneckerProjection(layers: layers, dimensions: .fixed(inputs: 3, outputs: 2), seed: 9)
        var generator = SeededGenerator(keys: 4)
        let inputs = Tensor(shape: [5, 6], scalars: generator.normals(count: 30))
        let gradients = Tensor(shape: [5, 5], scalars: generator.normals(count: 25))
        let pIn = projection.inputMatrix(layer: 0)
        let pOut = projection.outputMatrix(layer: 0)
        #expect(pIn.shape == [3, 7] && pOut.shape == [2, 5])

        var homogeneous = Tensor(shape: [5, 7], repeating: 1)
        for row in 0..<5 { for column in 0..<6 { homogeneous.scalars[row * 7 + column] = inputs.scalars[row * 6 + column] } }
        let expectedInputs = homogeneous.matmul(pIn, transposeOther: .transposed)
        let expectedGradients = gradients.matmul(pOut, transposeOther: .transposed)
        #expect(Self.maxDifference(projection.projectInputs(inputs, layer: 0), expectedInputs) < 1e-5)
        #expect(Self.maxDifference(projection.projectOutputGradients(gradients, layer: 0), expectedGradients) < 1e-5)
    }

    @Test func matricesArePureFunctionsOfSeedAndLayerScaledByOneOverRootK() {
        let first = KroneckerProjection(layers: layers, dimensions: .fixed(inputs: 3, outputs: 2), seed: 5)
        let again = KroneckerProjection(layers: layers, dimensions: .fixed(inputs: 3, outputs: 2), seed: 5)
        let other = KroneckerProjection(layers: layers, dimensions: .fixed(inputs: 3, outputs: 2), seed: 6)
        #expect(first.inputMatrix(layer: 1) == again.inputMatrix(layer: 1))
        #expect(first.outputMatrix(layer: 1) == again.outputMatrix(layer: 1))
        #expect(first.inputMatrix(layer: 1) != other.inputMatrix(layer: 1))
        #expect(first.inputMatrix(layer: 0) != first.outputMatrix(layer: 0))

        // A wide matrix's entries have variance 1/k: check the sample variance of 64x4096 draws.
        let wide = [ObservedLayer(name: "w", kind: .linear, inputFeatures: 4096, outputFeatures: 1, hasBias: false)]
        let matrix = KroneckerProjection(layers: wide, dimensions: .fixed(inputs: 64, outputs: 1), seed: 2).inputMatrix(layer: 0)
        let variance = matrix.scalars.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(matrix.count)
        #expect(abs(variance * 64 - 1) < 0.02)
    }

    private static func identity(_ size: Int) -> Tensor {
        var matrix = Tensor(shape: [size, size])
        for index in 0..<size { matrix.scalars[index * size + index] = 1 }
        return matrix
    }

    private static func maxDifference(_ a: Tensor, _ b: Tensor) -> Float {
        zip(a.scalars, b.scalars).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }
}

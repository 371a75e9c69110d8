import DiffusionModel
import Numerics

/// Fixed random matrices `P_in`, `P_out` per layer, a pure function of (seed, layer index,
/// dimensions). Gaussian entries scaled by `1/sqrt(k)` so that `E[PᵀP] = I`. `.identity` keeps
/// every dimension (exact gradients).
///
/// A layer's projected gradient is `G̃ = P_out G P_inᵀ = Σ_rows (P_out g)(P_in a)ᵀ`, so projecting
/// the rows a layer observer receives (``projectInputs(_:layer:)``,
/// ``projectOutputGradients(_:layer:)``) is all it takes; `G` itself is never formed. A fixed
/// dimension at least as large as the layer's own is clamped to it, and that side then uses the
/// identity: a random square matrix would only rotate the gradient at extra cost. The layout
/// records the effective `k`.
public struct KroneckerProjection: Sendable {
    /// How many projected dimensions each side of every layer keeps.
    public enum Dimensions: Sendable, Equatable, Codable {
        /// No projection: `kIn = dIn + bias`, `kOut = dOut`.
        case identity
        /// At most `inputs` and `outputs` dimensions per layer (clamped to the layer's own).
        case fixed(inputs: Int, outputs: Int)
    }

    /// One layer's matrices; a nil matrix is the identity.
    private struct LayerProjection: Sendable {
        let inputFeatures: Int
        let outputFeatures: Int
        let hasBias: Bool
        /// `[kIn, dIn + bias]`: its last column (when `hasBias`) projects the homogeneous 1.
        let input: Tensor?
        /// `[kOut, dOut]`.
        let output: Tensor?
    }

    /// Where every layer's projected block sits in a flat vector.
    public let layout: GradientLayout
    private let projections: [LayerProjection]

    /// Projections for `layers` (in ``DiffusionModel/UNet2DModel/observedLayers`` order).
    ///
    /// Layer `l`'s matrices come from ``Numerics/SeededGenerator`` keyed by
    /// `(seed, stream, l)`, one stream for `P_in` and one for `P_out`, so they depend only on
    /// the seed, the layer's position and its dimensions.
    public init(layers: [ObservedLayer], dimensions: Dimensions, seed: UInt64) {
        var blocks: [GradientLayout.Block] = []
        var projections: [LayerProjection] = []
        var offset = 0
        for (index, layer) in layers.enumerated() {
            let inputDimension = layer.inputFeatures + (layer.hasBias ? 1 : 0)
            let outputDimension = layer.outputFeatures
            var input: Tensor?
            var output: Tensor?
            if case .fixed(let inputs, let outputs) = dimensions {
                precondition(inputs > 0 && outputs > 0, "projection dimensions must be positive, got \(inputs)x\(outputs)")
                if inputs < inputDimension {
                    input = Self.gaussian(rows: inputs, columns: inputDimension, keys: seed, Stream.input, UInt64(index))
                }
                if outputs < outputDimension {
                    output = Self.gaussian(rows: outputs, columns: outputDimension, keys: seed, Stream.output, UInt64(index))
                }
            }
            let block = GradientLayout.Block(
                layer: layer.name, inputDimension: inputDimension, outputDimension: outputDimension,
                projectedInputs: input?.shape[0] ?? inputDimension, projectedOutputs: output?.shape[0] ?? outputDimension,
                offset: offset)
            offset += block.count
            blocks.append(block)
            projections.append(LayerProjection(inputFeatures: layer.inputFeatures, outputFeatures: layer.outputFeatures,
                                               hasBias: layer.hasBias, input: input, output: output))
        }
        layout = GradientLayout(blocks: blocks)
        self.projections = projections
    }

    /// `[rows, dIn]` (no bias column) -> `[rows, kIn]`; adds the bias column's projection when hasBias.
    ///
    /// One GEMM against the first `dIn` columns of `P_in`; the bias column's image is added as a
    /// broadcast row, so `[a, 1]` is never materialised (except by the identity, whose result is it).
    public func projectInputs(_ inputs: Tensor, layer: Int) -> Tensor {
        let projection = projections[layer]
        let features = projection.inputFeatures
        precondition(inputs.rank == 2 && inputs.shape[1] == features,
                     "projectInputs: rows \(inputs.shape) for layer \(layer) with \(features) inputs")
        let rows = inputs.shape[0]
        let width = features + (projection.hasBias ? 1 : 0)
        guard let matrix = projection.input else {
            guard projection.hasBias else { return inputs }
            return Self.appendingOnes(inputs)
        }
        let projected = matrix.shape[0]
        var result = Tensor(shape: [rows, projected])
        guard rows > 0 else { return result }
        result.scalars.withUnsafeMutableBufferPointer { out in
            matrix.scalars.withUnsafeBufferPointer { p in
                if projection.hasBias {
                    // The bias column P_in[:, dIn], laid along every output row.
                    for column in 0..<projected { out[column] = p[column * width + features] }
                    for row in 1..<rows {
                        (out.baseAddress! + row * projected).update(from: out.baseAddress!, count: projected)
                    }
                }
                inputs.scalars.withUnsafeBufferPointer { a in
                    sgemm(.none, .transposed, m: rows, n: projected, k: features, a: a.baseAddress!, lda: features,
                          b: p.baseAddress!, ldb: width, beta: projection.hasBias ? 1 : 0,
                          c: out.baseAddress!, ldc: projected)
                }
            }
        }
        return result
    }

    /// `[rows, dOut]` -> `[rows, kOut]`.
    public func projectOutputGradients(_ gradients: Tensor, layer: Int) -> Tensor {
        let projection = projections[layer]
        precondition(gradients.rank == 2 && gradients.shape[1] == projection.outputFeatures,
                     "projectOutputGradients: rows \(gradients.shape) for layer \(layer) with \(projection.outputFeatures) outputs")
        guard let matrix = projection.output else { return gradients }
        return gradients.matmul(matrix, transposeOther: .transposed)
    }

    /// `P_in` of `layer` as a `[kIn, dIn + bias]` matrix (the identity when that side is not projected).
    public func inputMatrix(layer: Int) -> Tensor {
        let projection = projections[layer]
        return projection.input ?? Self.identity(projection.inputFeatures + (projection.hasBias ? 1 : 0))
    }

    /// `P_out` of `layer` as a `[kOut, dOut]` matrix (the identity when that side is not projected).
    public func outputMatrix(layer: Int) -> Tensor {
        let projection = projections[layer]
        return projection.output ?? Self.identity(projection.outputFeatures)
    }

    /// `[rows, d]` -> `[rows, d + 1]` with a trailing 1 on every row.
    private static func appendingOnes(_ inputs: Tensor) -> Tensor {
        let (rows, features) = (inputs.shape[0], inputs.shape[1])
        var result = Tensor(shape: [rows, features + 1], repeating: 1)
        result.scalars.withUnsafeMutableBufferPointer { out in
            inputs.scalars.withUnsafeBufferPointer { a in
                for row in 0..<rows {
                    (out.baseAddress! + row * (features + 1)).update(from: a.baseAddress! + row * features, count: features)
                }
            }
        }
        return result
    }

    private static func identity(_ size: Int) -> Tensor {
        var matrix = Tensor(shape: [size, size])
        for index in 0..<size { matrix.scalars[index * size + index] = 1 }
        return matrix
    }

    /// `[rows, columns]` with entries N(0, 1) / sqrt(rows), so `E[PᵀP] = I`.
    private static func gaussian(rows: Int, columns: Int, keys: UInt64...) -> Tensor {
        var generator = SeededGenerator(keys: keys)
        let scale = 1 / Float(rows).squareRoot()
        return Tensor(shape: [rows, columns], scalars: generator.normals(count: rows * columns).map { $0 * scale })
    }

    /// Keys that separate the projection's random streams from every other stream.
    private enum Stream {
        static let input: UInt64 = 0x5052_4F4A_0000_0001  // "PROJ" 1
        static let output: UInt64 = 0x5052_4F4A_0000_0002  // "PROJ" 2
    }
}

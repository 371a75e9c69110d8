@testable import Attribution
import Numerics
import Testing

/// Small random problems and brute-force dense references for the curvature tests.
enum CurvatureTestSupport {
    /// A layout with one block per `(kIn, kOut)` pair, unprojected.
    static func layout(_ dimensions: [(inputs: Int, outputs: Int)]) -> GradientLayout {
        var offset = 0
        var blocks: [GradientLayout.Block] = []
        for (index, (inputs, outputs)) in dimensions.enumerated() {
            blocks.append(GradientLayout.Block(layer: "layer\(index)", inputDimension: inputs, outputDimension: outputs,
                                               projectedInputs: inputs, projectedOutputs: outputs, offset: offset))
            offset += inputs * outputs
        }
        return GradientLayout(blocks: blocks)
    }

    /// A `[rows, columns]` tensor of standard normals, a pure function of `keys`.
    static func normals(_ rows: Int, _ columns: Int, keys: UInt64...) -> Tensor {
        var generator = SeededGenerator(keys: keys)
        return Tensor(shape: [rows, columns], scalars: generator.normals(count: rows * columns))
    }

    /// Per-sample `G = Σ_t g_t a_tᵀ` flattened row-major, `[samples, kOut·kIn]`, by loops.
    static func sampleGradients(inputs: Tensor, outputGradients: Tensor, samples: Int) -> Tensor {
        let (rows, kIn, kOut) = (inputs.shape[0], inputs.shape[1], outputGradients.shape[1])
        let perSample = rows / samples
        var result = [Float](repeating: 0, count: samples * kOut * kIn)
        for row in 0..<rows {
            let sample = row / perSample
            for o in 0..<kOut {
                for i in 0..<kIn {
                    result[sample * kOut * kIn + o * kIn + i] += outputGradients.scalars[row * kOut + o] * inputs.scalars[row * kIn + i]
                }
            }
        }
        return Tensor(shape: [samples, kOut * kIn], scalars: result)
    }

    /// A batch of random rows for block `layer` of `layout`, with `rowsPerSample` rows per sample.
    static func batch(_ layout: GradientLayout, layer: Int, samples: Int, rowsPerSample: Int, keys: UInt64) -> LayerCurvatureBatch {
        let block = layout.blocks[layer]
        let inputs = normals(samples * rowsPerSample, block.projectedInputs, keys: keys, 1)
        let gradients = normals(samples * rowsPerSample, block.projectedOutputs, keys: keys, 2)
        return LayerCurvatureBatch(layer: layer, inputs: inputs, outputGradients: gradients, samples: samples,
                                   sampleGradients: sampleGradients(inputs: inputs, outputGradients: gradients, samples: samples))
    }

    /// `Xᵀ X` of a `[n, k]` tensor, by loops in Float64.
    static func gram(_ matrix: Tensor) -> [Double] {
        let (n, k) = (matrix.shape[0], matrix.shape[1])
        var result = [Double](repeating: 0, count: k * k)
        for row in 0..<n {
            for i in 0..<k {
                for j in 0..<k { result[i * k + j] += Double(matrix.scalars[row * k + i]) * Double(matrix.scalars[row * k + j]) }
            }
        }
        return result
    }

    /// Row-major Kronecker product `A ⊗ B` of `[m, m]` and `[n, n]` matrices: `[m·n, m·n]`.
    static func kronecker(_ a: [Double], _ m: Int, _ b: [Double], _ n: Int) -> [Double] {
        let size = m * n
        var result = [Double](repeating: 0, count: size * size)
        for i in 0..<m { for j in 0..<m { for k in 0..<n { for l in 0..<n {
            result[(i * n + k) * size + j * n + l] = a[i * m + j] * b[k * n + l]
        } } } }
        return result
    }

    /// `M v` for a square row-major `M`.
    static func multiply(_ matrix: [Double], _ vector: [Double]) -> [Double] {
        let n = vector.count
        return (0..<n).map { row in (0..<n).reduce(0.0) { $0 + matrix[row * n + $1] * vector[$1] } }
    }

    /// `Mᵀ N M` for square row-major matrices of the same size.
    static func congruence(_ m: [Double], _ n: [Double], size: Int) -> [Double] {
        func product(_ a: [Double], _ b: [Double], transposeA: Bool) -> [Double] {
            var result = [Double](repeating: 0, count: size * size)
            for i in 0..<size { for k in 0..<size {
                let left = transposeA ? a[k * size + i] : a[i * size + k]
                for j in 0..<size { result[i * size + j] += left * b[k * size + j] }
            } }
            return result
        }
        return product(m, product(n, m, transposeA: false), transposeA: true)
    }

    /// Largest `|a − b|` relative to the largest `|b|`.
    static func relativeError(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count, "comparing \(a.count) with \(b.count) values")
        let scale = b.map(abs).max() ?? 0
        let error = zip(a, b).map { abs($0 - $1) }.max() ?? 0
        return scale == 0 ? error : error / scale
    }

    /// The same, for Float values.
    static func relativeError(_ a: [Float], _ b: [Double]) -> Double {
        relativeError(a.map(Double.init), b)
    }
}

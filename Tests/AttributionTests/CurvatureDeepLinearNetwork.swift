@testable import Attribution
import Numerics
import Testing

/// A deep linear network with biases, applied position-wise to one data point `[1, T, d₀]`,
/// under a mean-squared-error loss: a case where K-FAC "expand" is exact (arXiv 2507.05127).
/// With `nonlinear`, a SiLU follows every hidden layer, which breaks exactness across data points.
///
/// Its layers are observed under the names `layer0`, `layer1`, … so a ``CurvatureBatchRecorder``
/// can turn every backward pass into ``LayerCurvatureBatch``es with the identity projection.
struct CurvatureDeepLinearNetwork {
    /// Layer widths `d₀ … d_L`.
    let widths: [Int]
    /// `[dOut, dIn]` weights and `[dOut]` biases.
    let weights: [Tensor], biases: [Tensor]
    /// Whether a SiLU follows every hidden layer.
    let nonlinear: Bool

    init(widths: [Int], seed: UInt64, nonlinear: Bool = false) {
        self.widths = widths
        self.nonlinear = nonlinear
        weights = (1..<widths.count).map { CurvatureTestSupport.normals(widths[$0], widths[$0 - 1], keys: seed, UInt64($0)) }
        biases = (1..<widths.count).map {
            CurvatureTestSupport.normals(1, widths[$0], keys: seed, 100 + UInt64($0)).reshaped([widths[$0]])
        }
    }

    /// One gradient block per layer: `[dOut, dIn + 1]`, unprojected.
    var layout: GradientLayout {
        CurvatureTestSupport.layout((1..<widths.count).map { (inputs: widths[$0 - 1] + 1, outputs: widths[$0]) })
    }

    /// Output elements of one data point with `positions` rows.
    func outputCount(positions: Int) -> Int { positions * widths[widths.count - 1] }

    /// Back-propagates `seed` (`[1, T, d_L]`) from the output for input `x` (`[1, T, d₀]`).
    ///
    /// - Returns: Each layer's parameter gradient flattened as `[dOut][dIn + 1]` (bias last).
    func backward(x: Tensor, seed: Tensor, observer: (any LayerObserver)? = nil) -> [[Float]] {
        let tape = Tape()
        tape.layerObserver = observer
        var hidden = tape.constant(x)
        var parameters: [(Variable, Variable)] = []
        for (index, (weight, bias)) in zip(weights, biases).enumerated() {
            let (w, b) = (tape.leaf(weight), tape.leaf(bias))
            parameters.append((w, b))
            hidden = tape.linear(hidden, weight: w, bias: b, observeAs: "layer\(index)")
            if nonlinear && index < weights.count - 1 { hidden = tape.silu(hidden) }
        }
        let gradients = tape.backward(from: hidden, seed: seed)
        return parameters.enumerated().map { index, pair in
            let (outputs, inputs) = (widths[index + 1], widths[index])
            let weightGradient = gradients[pair.0]?.scalars ?? [Float](repeating: 0, count: outputs * inputs)
            let biasGradient = gradients[pair.1]?.scalars ?? [Float](repeating: 0, count: outputs)
            return (0..<outputs).flatMap { o in weightGradient[(o * inputs)..<((o + 1) * inputs)] + [biasGradient[o]] }
        }
    }
}

/// A layer observer that turns every observed layer application into a ``LayerCurvatureBatch``
/// with the identity projection (bias coordinate appended) and adds it to an accumulator.
final class CurvatureBatchRecorder: LayerObserver {
    private(set) var accumulator: CurvatureAccumulator

    init(layout: GradientLayout) {
        accumulator = CurvatureAccumulator(layout: layout)
    }

    func observe(layer: String, inputs: Tensor, outputGradients: Tensor, examples: Int, hasBias: Bool) {
        guard let index = accumulator.layout.blockIndex(of: layer) else {
            Issue.record("unexpected layer \(layer)")
            return
        }
        let (rows, width) = (inputs.shape[0], inputs.shape[1])
        var withBias: [Float] = []
        for row in 0..<rows {
            withBias.append(contentsOf: inputs.scalars[(row * width)..<((row + 1) * width)])
            if hasBias { withBias.append(1) }
        }
        let rowsWithBias = Tensor(shape: [rows, width + (hasBias ? 1 : 0)], scalars: withBias)
        let perSample = CurvatureTestSupport.sampleGradients(inputs: rowsWithBias, outputGradients: outputGradients, samples: examples)
        accumulator.add(LayerCurvatureBatch(layer: index, inputs: rowsWithBias, outputGradients: outputGradients,
                                            samples: examples, sampleGradients: perSample))
    }
}

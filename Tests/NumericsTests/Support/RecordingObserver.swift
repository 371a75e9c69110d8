import Numerics

/// A layer observer that keeps every observation for inspection.
final class RecordingObserver: LayerObserver {
    struct Observation {
        let layer: String
        let inputs: Tensor
        let outputGradients: Tensor
        let examples: Int
        let hasBias: Bool
    }

    private(set) var observations: [Observation] = []

    func observe(layer: String, inputs: Tensor, outputGradients: Tensor, examples: Int, hasBias: Bool) {
        observations.append(Observation(layer: layer, inputs: inputs, outputGradients: outputGradients,
                                        examples: examples, hasBias: hasBias))
    }

    /// `Σ_rows outer(g, a)`: the weight gradient the observed rows imply, `[dOut, dIn]`.
    static func weightGradient(_ observation: Observation) -> Tensor {
        let (rows, inner, outer) = (observation.inputs.shape[0], observation.inputs.shape[1], observation.outputGradients.shape[1])
        var sums = [Double](repeating: 0, count: outer * inner)
        for row in 0..<rows {
            for o in 0..<outer {
                let g = Double(observation.outputGradients.scalars[row * outer + o])
                for i in 0..<inner { sums[o * inner + i] += g * Double(observation.inputs.scalars[row * inner + i]) }
            }
        }
        return Tensor(shape: [outer, inner], scalars: sums.map { Float($0) })
    }
}

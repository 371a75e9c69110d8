@testable import Attribution
import Numerics
import Testing

/// Per-sample parameter gradients of every observed layer in one backward pass, flattened in the
/// identity-projection layout (`[dOut][dIn + 1]` per layer, bias last), computed independently of
/// the engine's observers: `G_s = g_sᵀ a_s` over sample `s`'s rows.
///
/// With a batch of `D` copies of one input and the unit seed `e_m` on copy `m`, the rows are the
/// Jacobian of that input's prediction.
final class CurvatureJacobianObserver: LayerObserver {
    let layout: GradientLayout
    let samples: Int
    /// `[samples, layout.dimension]` row-major.
    private(set) var rows: [Float]
    private var seen: Set<Int> = []

    init(layout: GradientLayout, samples: Int) {
        self.layout = layout
        self.samples = samples
        rows = [Float](repeating: 0, count: samples * layout.dimension)
    }

    func observe(layer: String, inputs: Tensor, outputGradients: Tensor, examples: Int, hasBias: Bool) {
        guard let index = layout.blockIndex(of: layer), examples == samples, seen.insert(index).inserted else {
            Issue.record("unexpected observation of \(layer) with \(examples) examples")
            return
        }
        let block = layout.blocks[index]
        let (rowCount, width) = (inputs.shape[0], inputs.shape[1])
        var withBias: [Float] = []
        withBias.reserveCapacity(rowCount * block.projectedInputs)
        for row in 0..<rowCount {
            withBias.append(contentsOf: inputs.scalars[(row * width)..<((row + 1) * width)])
            if hasBias { withBias.append(1) }
        }
        let positions = rowCount / samples
        for sample in 0..<samples {
            let range = (sample * positions)..<((sample + 1) * positions)
            let a = Tensor(shape: [positions, block.projectedInputs],
                           scalars: Array(withBias[(range.lowerBound * block.projectedInputs)..<(range.upperBound * block.projectedInputs)]))
            let g = Tensor(shape: [positions, block.projectedOutputs],
                           scalars: Array(outputGradients.scalars[(range.lowerBound * block.projectedOutputs)..<(range.upperBound * block.projectedOutputs)]))
            let gradient = g.matmul(a, transposeSelf: .transposed).scalars
            let start = sample * layout.dimension + block.offset
            rows.replaceSubrange(start..<(start + block.count), with: gradient)
        }
    }
}

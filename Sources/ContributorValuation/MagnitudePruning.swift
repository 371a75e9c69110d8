import DiffusionModel
import Numerics

/// Global magnitude pruning: the smallest-magnitude weights over all convolution and linear
/// weight tensors together (rank ≥ 2) are set to zero; biases and norms are left alone.
///
/// Exactly `⌊sparsity · prunable⌋` weights are pruned. Ties at the threshold magnitude are broken
/// by position (parameter order, then element order), so the result is deterministic.
public struct MagnitudePruning: Sendable, Equatable {
    /// The fraction of prunable weights to remove, in [0, 1).
    public let sparsity: Double

    /// Pruning to `sparsity`.
    public init(sparsity: Double) throws(ValuationError) {
        guard sparsity.isFinite, (0..<1).contains(sparsity) else { throw .invalidSparsity(sparsity) }
        self.sparsity = sparsity
    }

    /// Prunes `parameters`, which must be finite.
    public func prune(_ parameters: ParameterSet) throws(ValuationError) -> PrunedModel {
        let nonFinite = parameters.namesOfNonFiniteTensors
        guard nonFinite.isEmpty else { throw .nonFiniteParameters(names: nonFinite) }
        let prunable = parameters.entries.filter { PrunedModel.isPrunable(shape: $0.tensor.shape) }
        let total = prunable.reduce(0) { $0 + $1.tensor.count }
        let pruneCount = Int((sparsity * Double(total)).rounded(.down))
        let threshold = Self.magnitude(rank: pruneCount, of: prunable.map(\.tensor))
        var remainingAtThreshold = pruneCount - prunable.reduce(0) { total, entry in
            total + entry.tensor.scalars.reduce(0) { $0 + (abs($1) < threshold ? 1 : 0) }
        }
        var pruned = parameters
        var masks: [String: Tensor] = [:]
        for (name, tensor) in prunable {
            var weights = tensor
            var mask = Tensor(shape: tensor.shape, repeating: 1)
            for index in 0..<weights.count {
                let magnitude = abs(weights.scalars[index])
                guard magnitude <= threshold, pruneCount > 0 else { continue }
                if magnitude == threshold {
                    guard remainingAtThreshold > 0 else { continue }
                    remainingAtThreshold -= 1
                }
                weights.scalars[index] = 0
                mask.scalars[index] = 0
            }
            pruned[name] = weights
            masks[name] = mask
        }
        return PrunedModel(parameters: pruned, masks: masks, sparsity: sparsity)
    }

    /// The `rank`-th smallest magnitude (1-based) over `tensors`, or 0 when `rank` is 0.
    private static func magnitude(rank: Int, of tensors: [Tensor]) -> Float {
        guard rank > 0 else { return 0 }
        var magnitudes = tensors.flatMap { $0.scalars.map(abs) }
        magnitudes.sort()
        return magnitudes[rank - 1]
    }
}

import DiffusionModel
import Numerics

/// A sparsified model: weights and, per pruned weight tensor, a mask of the weights that live.
///
/// Masks hold 1 for a live weight and 0 for a pruned one; every masked weight is exactly zero.
/// Only convolution and linear weights (tensors of rank ≥ 2) have masks; biases and group-norm
/// parameters are never pruned.
public struct PrunedModel: Sendable, Equatable {
    /// The weights, with every masked element zero.
    public let parameters: ParameterSet
    /// The mask of every prunable tensor, by parameter name.
    public let masks: [String: Tensor]
    /// The sparsity pruning was asked for: the fraction of prunable weights removed.
    public let sparsity: Double

    /// Bundles weights and masks; masked weights must already be zero.
    init(parameters: ParameterSet, masks: [String: Tensor], sparsity: Double) {
        self.parameters = parameters
        self.masks = masks
        self.sparsity = sparsity
    }

    /// Number of weights in prunable tensors.
    public var prunableCount: Int { masks.values.reduce(0) { $0 + $1.count } }

    /// Number of pruned (masked) weights.
    public var prunedCount: Int {
        masks.values.reduce(0) { total, mask in total + mask.scalars.reduce(0) { $0 + ($1 == 0 ? 1 : 0) } }
    }

    /// The same masks over other weights (e.g. after recovery training under the mask).
    func replacingParameters(_ parameters: ParameterSet) -> PrunedModel {
        PrunedModel(parameters: parameters, masks: masks, sparsity: sparsity)
    }

    /// Whether pruning applies to a tensor of `shape`: convolution and linear weights.
    static func isPrunable(shape: [Int]) -> Bool { shape.count >= 2 }
}

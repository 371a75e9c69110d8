import DiffusionModel
import Foundation
import Numerics

/// The coalition game by sparsified fine-tuning (Lin et al., ICLR 2025): prune the trained model
/// once, recover it briefly on all data under the mask, then value a coalition by fine-tuning the
/// pruned-and-recovered model a few steps on the coalition's examples (pruned weights stay zero)
/// and measuring it.
///
/// The empty coalition's value is the pruned-and-recovered model's. Runs on the caller's thread;
/// not `Sendable` (it keeps the caller's measuring closure and a running cost).
public final class SparsifiedFineTuningGame {
    /// The pruned and recovered model every coalition starts from.
    public let pruned: PrunedModel
    /// How every coalition is fine-tuned.
    public var recipe: CoalitionTrainingRecipe { game.trainer.recipe }
    /// The players.
    public var partition: ContributorPartition { game.partition }
    /// Compute spent so far by ``value(ofPlayers:)``.
    public var cost: ValuationCost { game.cost }
    private var game: CoalitionGame

    /// Prunes `base` to `sparsity` (global magnitude pruning) and fine-tunes the pruned model
    /// under its mask on all examples with `recovery`.
    public static func prepare(
        base: ParameterSet, config: UNet2DConfig, schedulerConfig: DDPMSchedulerConfig, sparsity: Double,
        recovery: CoalitionTrainingRecipe, images: Tensor, ids: [Int64]
    ) throws(ValuationError) -> PrunedModel {
        try prepareMeasuringCost(
            base: base, config: config, schedulerConfig: schedulerConfig, sparsity: sparsity, recovery: recovery, images: images, ids: ids
        ).model
    }

    /// ``prepare(base:config:schedulerConfig:sparsity:recovery:images:ids:)`` with its cost
    /// (pruning counts as training time; nothing is measured).
    public static func prepareMeasuringCost(
        base: ParameterSet, config: UNet2DConfig, schedulerConfig: DDPMSchedulerConfig, sparsity: Double,
        recovery: CoalitionTrainingRecipe, images: Tensor, ids: [Int64]
    ) throws(ValuationError) -> (model: PrunedModel, cost: ValuationCost) {
        let start = ContinuousClock.now
        let pruning = try MagnitudePruning(sparsity: sparsity)
        if let mismatch = ParameterMismatch(parameters: base, expected: UNet2DModel.parameterSpecs(for: config)) {
            throw .parametersDoNotMatchConfig(mismatch)
        }
        let trainer = try CoalitionTrainer(config: config, schedulerConfig: schedulerConfig, recipe: recovery, images: images, ids: ids)
        let pruned = try pruning.prune(base)
        let run = try trainer.train(
            from: pruned.parameters, examples: Array(0..<trainer.exampleCount), mask: pruned.masks, coalition: nil)
        var cost = ValuationCost()
        cost.trainingSteps = run.losses.count
        cost.examplesProcessed = run.examplesProcessed
        cost.trainingSeconds = start.duration(to: .now) / .seconds(1)
        return (pruned.replacingParameters(run.parameters), cost)
    }

    /// A game over the examples `images` `[N, C, H, W]` with ids `ids`, grouped into players by
    /// `partition`, fine-tuning `pruned` with `coalition` per coalition.
    ///
    /// - Parameter measure: The property values of a fine-tuned model, one per property, in a
    ///   fixed order. It should be deterministic (fixed generation noise) for values to be.
    public init(
        pruned: PrunedModel, config: UNet2DConfig, schedulerConfig: DDPMSchedulerConfig, coalition: CoalitionTrainingRecipe,
        images: Tensor, ids: [Int64], partition: ContributorPartition, measure: @escaping (UNet2DModel) throws -> [Double]
    ) throws(ValuationError) {
        let trainer = try CoalitionTrainer(config: config, schedulerConfig: schedulerConfig, recipe: coalition, images: images, ids: ids)
        self.pruned = pruned
        game = try CoalitionGame(trainer: trainer, partition: partition, start: pruned.parameters, mask: pruned.masks, measure: measure)
    }

    /// The measurements of the pruned model fine-tuned on the examples of `players` (indices
    /// into ``partition``; order and repeats do not matter). The same coalition always gives
    /// bit-identical values.
    public func value(ofPlayers players: [Int]) throws(ValuationError) -> [Double] {
        try game.value(ofPlayers: players)
    }
}

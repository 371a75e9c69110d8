import DiffusionModel
import Numerics

/// The coalition game by retraining: a coalition's value is the measurement of a model trained
/// from scratch (the recipe seed's initialisation) on the coalition's examples only.
///
/// The empty coalition's value is the untrained model's. With every player in the coalition
/// and a batch size no larger than the data, training is step for step the ``Trainer``'s on the
/// same examples with the same seed and settings (no weight averaging). Runs on the caller's
/// thread; not `Sendable` (it keeps the caller's measuring closure and a running cost).
public final class RetrainingGame {
    /// How every coalition is trained.
    public var recipe: CoalitionTrainingRecipe { game.trainer.recipe }
    /// The players.
    public var partition: ContributorPartition { game.partition }
    /// Compute spent so far by ``value(ofPlayers:)``.
    public var cost: ValuationCost { game.cost }
    private var game: CoalitionGame

    /// A game over the examples `images` `[N, C, H, W]` with ids `ids`, grouped into players by
    /// `partition` (whose indices refer to these arrays).
    ///
    /// - Parameter measure: The property values of a trained model, one per property, in a
    ///   fixed order. It should be deterministic (fixed generation noise) for values to be.
    public init(
        config: UNet2DConfig, schedulerConfig: DDPMSchedulerConfig, recipe: CoalitionTrainingRecipe, images: Tensor, ids: [Int64],
        partition: ContributorPartition, measure: @escaping (UNet2DModel) throws -> [Double]
    ) throws(ValuationError) {
        let trainer = try CoalitionTrainer(config: config, schedulerConfig: schedulerConfig, recipe: recipe, images: images, ids: ids)
        game = try CoalitionGame(trainer: trainer, partition: partition, start: trainer.initialParameters, mask: nil, measure: measure)
    }

    /// The measurements of the model trained on the examples of `players` (indices into
    /// ``partition``; order and repeats do not matter). The same coalition always gives
    /// bit-identical values.
    public func value(ofPlayers players: [Int]) throws(ValuationError) -> [Double] {
        try game.value(ofPlayers: players)
    }
}

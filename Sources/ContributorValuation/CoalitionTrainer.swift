import DiffusionModel
import Numerics

/// Trains a model in memory on a subset of the training examples, step for step as ``Trainer``
/// would on that subset (the shared ``DenoisingTrainingStep``): minibatches from one permutation
/// of the subset per epoch, each example's timestep and noise keyed by (seed, step, example id)
/// so an example gets the same draw whatever coalition it is in, clipping, AdamW from fresh
/// moments, and the recipe's cosine schedule. An optional mask keeps pruned weights at zero.
public struct CoalitionTrainer: Sendable {
    /// What a training run produced.
    public struct Run: Sendable {
        /// The trained weights.
        public let parameters: ParameterSet
        /// The minibatch loss of every step, before its update.
        public let losses: [Float]
        /// Examples processed (steps × minibatch size).
        public let examplesProcessed: Int
    }

    /// The architecture trained.
    public let config: UNet2DConfig
    /// How every run trains.
    public let recipe: CoalitionTrainingRecipe
    /// The weights the recipe's seed initialises (where retraining starts).
    public let initialParameters: ParameterSet
    let examples: TrainingExamples
    private let optimizerStep: DenoisingTrainingStep

    /// A trainer for `config` on the examples `images` `[N, C, H, W]` with ids `ids`.
    public init(
        config: UNet2DConfig, schedulerConfig: DDPMSchedulerConfig, recipe: CoalitionTrainingRecipe, images: Tensor, ids: [Int64]
    ) throws(ValuationError) {
        try recipe.validate()
        let scheduler: DDPMScheduler
        do { scheduler = try DDPMScheduler(config: schedulerConfig) } catch { throw .scheduler(error) }
        let model = UNet2DModel(config: config, seed: recipe.seed)
        self.config = config
        self.recipe = recipe
        self.initialParameters = model.parameters
        self.examples = try TrainingExamples(images: images, ids: ids, config: config)
        self.optimizerStep = DenoisingTrainingStep(
            objective: DenoisingObjective(model: model, scheduler: scheduler), draws: TrainingDraws(seed: recipe.seed),
            maxGradNorm: recipe.maxGradNorm)
    }

    /// Number of training examples.
    public var exampleCount: Int { examples.count }

    /// Trains `start` for ``CoalitionTrainingRecipe/steps`` steps on the examples at `indices`
    /// (into the trainer's examples; the order of the subset is the order given).
    ///
    /// - Parameters:
    ///   - mask: Per parameter name, a tensor whose zero elements stay zero (see
    ///     ``DenoisingTrainingStep/apply(step:images:ids:learningRate:parameters:optimizer:mask:)``).
    ///   - coalition: The players whose examples these are, named in errors (nil: not a coalition,
    ///     e.g. recovery training on all examples).
    public func train(
        from start: ParameterSet, examples indices: [Int], mask: [String: Tensor]? = nil, coalition: [Int]?
    ) throws(ValuationError) -> Run {
        if let mismatch = ParameterMismatch(parameters: start, expected: UNet2DModel.parameterSpecs(for: config)) {
            throw .parametersDoNotMatchConfig(mismatch)
        }
        guard !indices.isEmpty else { throw .emptyData }
        if let bad = indices.first(where: { !(0..<examples.count).contains($0) }) {
            throw .partitionOutOfRange(example: bad, examples: examples.count)
        }
        let batchSize = min(recipe.batchSize, indices.count)
        let schedule = recipe.schedule
        var parameters = start
        var optimizer = AdamW(settings: recipe.adam)
        var losses: [Float] = []
        for step in 0..<recipe.steps {
            let positions = optimizerStep.draws.batchIndices(step: step, batchSize: batchSize, exampleCount: indices.count)
            let (images, ids) = examples.batch(positions.map { indices[$0] })
            do {
                losses.append(try optimizerStep.apply(
                    step: step, images: images, ids: ids, learningRate: schedule.rate(afterSteps: step),
                    parameters: &parameters, optimizer: &optimizer, mask: mask))
            } catch {
                throw .nonFiniteLoss(coalition: coalition, step: step)
            }
        }
        return Run(parameters: parameters, losses: losses, examplesProcessed: recipe.steps * batchSize)
    }
}

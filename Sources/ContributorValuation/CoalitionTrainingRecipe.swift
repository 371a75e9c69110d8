import DiffusionModel

/// How a coalition's model is trained: in memory, on the coalition's examples only, with the
/// same loss, draws, clipping, optimiser and learning-rate schedule as ``Trainer``.
///
/// The same recipe serves retraining from scratch, recovery after pruning, and per-coalition
/// fine-tuning; only the starting weights and the examples differ.
public struct CoalitionTrainingRecipe: Sendable, Equatable {
    /// Optimiser steps (the end of the cosine decay). Zero leaves the starting weights as they are.
    public var steps: Int
    /// Examples per step; a coalition with fewer examples uses all of them in every step.
    public var batchSize: Int
    /// Peak learning rate, reached after the warm-up.
    public var learningRate: Double
    /// Steps of linear learning-rate warm-up.
    public var warmupSteps: Int
    /// Gradients are scaled down to this joint norm; 0 turns clipping off.
    public var maxGradNorm: Double
    /// The optimiser's constants.
    public var adam: AdamW.Settings
    /// Seed of the draws (minibatch order, timesteps and noise) and, when training from scratch,
    /// of the initialisation.
    public var seed: UInt64

    /// A recipe with the given settings; the defaults are ``TrainingConfig``'s where it has one.
    public init(
        steps: Int, batchSize: Int, learningRate: Double, warmupSteps: Int = 0, maxGradNorm: Double = 1,
        adam: AdamW.Settings = AdamW.Settings(), seed: UInt64 = 0
    ) {
        self.steps = steps
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.warmupSteps = warmupSteps
        self.maxGradNorm = maxGradNorm
        self.adam = adam
        self.seed = seed
    }

    /// The learning-rate schedule over ``steps``.
    public var schedule: CosineLearningRateSchedule {
        CosineLearningRateSchedule(baseRate: learningRate, warmupSteps: warmupSteps, totalSteps: steps)
    }

    /// Checks ranges the types cannot express (as ``TrainingConfig/validate()`` does).
    public func validate() throws(ValuationError) {
        func require(_ condition: Bool, _ key: String, _ value: Any, _ reason: String) throws(ValuationError) {
            if !condition { throw .invalidRecipe(key: key, value: "\(value)", reason: reason) }
        }
        try require(steps >= 0, "steps", steps, "must not be negative")
        try require(batchSize >= 1, "batch_size", batchSize, "must be at least 1")
        try require(learningRate > 0 && learningRate.isFinite, "learning_rate", learningRate, "must be positive and finite")
        try require(warmupSteps >= 0, "warmup_steps", warmupSteps, "must not be negative")
        try require(maxGradNorm >= 0 && maxGradNorm.isFinite, "max_grad_norm", maxGradNorm, "must not be negative")
        try require((0..<1).contains(adam.beta1), "adam_beta1", adam.beta1, "must lie in [0, 1)")
        try require((0..<1).contains(adam.beta2), "adam_beta2", adam.beta2, "must lie in [0, 1)")
        try require(adam.weightDecay >= 0 && adam.weightDecay.isFinite, "adam_weight_decay", adam.weightDecay, "must not be negative")
        try require(adam.epsilon > 0 && adam.epsilon.isFinite, "adam_epsilon", adam.epsilon, "must be positive")
    }
}

import Foundation

/// Everything that defines a training run, read from a JSON file such as
/// `Config/demo-train.json`. Every key but `model` has a default (diffusers' unconditional
/// training script's where it has one); unknown keys are refused, so a misspelt setting fails
/// loudly instead of being ignored.
public struct TrainingConfig: Sendable, Equatable {
    /// The UNet, as diffusers' `UNet2DModel` config (`sample_size` is required: it is the image side).
    public var model: UNet2DConfig
    /// Data folder with `shard-*.safetensors` (relative to the current directory), if not given
    /// on the command line.
    public var dataFolder: String?
    /// Number of diffusion timesteps.
    public var numTrainTimesteps = 1000
    /// The β schedule.
    public var betaSchedule = DDPMSchedulerConfig.BetaSchedule.linear
    /// Examples per optimiser step.
    public var batchSize = 16
    /// Peak learning rate, reached after the warm-up.
    public var learningRate = 1e-4
    /// Steps of linear learning-rate warm-up before the cosine decay.
    public var warmupSteps = 500
    /// Optimiser steps of the whole run (the end of the cosine decay).
    public var steps = 1000
    /// A checkpoint is written after every this many steps (and at the end).
    public var checkpointEvery = 500
    /// A progress line is reported after every this many steps.
    public var logEvery = 10
    /// Seed of initialisation, minibatch order, timesteps and noise.
    public var seed: UInt64 = 0
    /// Whether an exponential moving average of the weights is kept (written to `unet_ema/`).
    public var useEMA = true
    /// The average's decay schedule.
    public var ema = ExponentialMovingAverage.Settings()
    /// The optimiser's constants.
    public var adam = AdamW.Settings()
    /// Gradients are scaled down to this joint norm; 0 turns clipping off.
    public var maxGradNorm = 1.0

    /// A configuration with defaults for everything but the model.
    public init(model: UNet2DConfig) {
        self.model = model
    }

    /// The image side in pixels (the model's `sample_size`).
    public var imageSize: Int { model.sampleSize ?? 0 }

    /// The noise schedule the model is trained with (and that checkpoints record).
    public var schedulerConfig: DDPMSchedulerConfig {
        DDPMSchedulerConfig(numTrainTimesteps: numTrainTimesteps, betaSchedule: betaSchedule)
    }

    /// The learning-rate schedule for a run of `totalSteps` steps.
    public func learningRateSchedule(totalSteps: Int) -> CosineLearningRateSchedule {
        CosineLearningRateSchedule(baseRate: learningRate, warmupSteps: warmupSteps, totalSteps: totalSteps)
    }

    /// Reads and validates a configuration file.
    public static func load(contentsOf url: URL) throws(TrainingError) -> TrainingConfig {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .unreadableConfig(path: url.path, reason: error.localizedDescription)
        }
        return try decode(fromJSON: data, path: url.path)
    }

    /// Decodes and validates configuration JSON; `path` names it in errors.
    public static func decode(fromJSON data: Data, path: String) throws(TrainingError) -> TrainingConfig {
        do {
            return try JSONDecoder().decode(TrainingConfig.self, from: data)
        } catch let error as TrainingError {
            throw error
        } catch let error as UNet2DConfigError {
            throw .modelConfig(error)
        } catch let error as DDPMSchedulerError {
            throw .scheduler(error)
        } catch {
            throw .unreadableConfig(path: path, reason: "\(error)")
        }
    }

    /// Checks ranges the types cannot express.
    public func validate() throws(TrainingError) {
        func require(_ condition: Bool, _ key: String, _ value: Any, _ reason: String) throws(TrainingError) {
            if !condition { throw .invalidConfig(key: key, value: "\(value)", reason: reason) }
        }
        try require(model.sampleSize.map { $0 > 0 && $0 % model.spatialSizeMultiple == 0 } ?? false, "model.sample_size",
                    model.sampleSize.map { "\($0)" } ?? "null",
                    "must be set, and a multiple of \(model.spatialSizeMultiple) for \(model.blockOutChannels.count) levels")
        try require(batchSize >= 1, "batch_size", batchSize, "must be at least 1")
        try require(learningRate > 0 && learningRate.isFinite, "learning_rate", learningRate, "must be positive")
        try require(warmupSteps >= 0, "lr_warmup_steps", warmupSteps, "must not be negative")
        try require(steps >= 1, "steps", steps, "must be at least 1")
        try require(checkpointEvery >= 1, "checkpoint_every", checkpointEvery, "must be at least 1")
        try require(logEvery >= 1, "log_every", logEvery, "must be at least 1")
        try require(ema.invGamma > 0, "ema_inv_gamma", ema.invGamma, "must be positive")
        try require(ema.power > 0, "ema_power", ema.power, "must be positive")
        try require((0...1).contains(ema.maxDecay), "ema_max_decay", ema.maxDecay, "must lie in [0, 1]")
        try require((0..<1).contains(adam.beta1), "adam_beta1", adam.beta1, "must lie in [0, 1)")
        try require((0..<1).contains(adam.beta2), "adam_beta2", adam.beta2, "must lie in [0, 1)")
        try require(adam.weightDecay >= 0, "adam_weight_decay", adam.weightDecay, "must not be negative")
        try require(adam.epsilon > 0, "adam_epsilon", adam.epsilon, "must be positive")
        try require(maxGradNorm >= 0, "max_grad_norm", maxGradNorm, "must not be negative")
        do { try schedulerConfig.validate() } catch { throw .scheduler(error) }
    }
}

import Foundation

extension TrainingConfig: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case model, dataFolder = "data_dir", numTrainTimesteps = "num_train_timesteps", betaSchedule = "beta_schedule"
        case batchSize = "batch_size", learningRate = "learning_rate", warmupSteps = "lr_warmup_steps", steps
        case checkpointEvery = "checkpoint_every", logEvery = "log_every", seed, useEMA = "use_ema"
        case emaInvGamma = "ema_inv_gamma", emaPower = "ema_power", emaMaxDecay = "ema_max_decay"
        case adamBeta1 = "adam_beta1", adamBeta2 = "adam_beta2", adamWeightDecay = "adam_weight_decay"
        case adamEpsilon = "adam_epsilon", maxGradNorm = "max_grad_norm"
    }

    /// Any key, so that keys outside ``CodingKeys`` can be found and refused.
    private struct AnyKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Reads the keys above; absent keys keep their defaults, unknown keys throw
    /// ``TrainingError/unknownConfigKey(_:)``, and the result is validated.
    public init(from decoder: any Decoder) throws {
        if let unknown = try decoder.container(keyedBy: AnyKey.self).allKeys.first(where: { CodingKeys(stringValue: $0.stringValue) == nil }) {
            throw TrainingError.unknownConfigKey(unknown.stringValue)
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(model: try c.decode(UNet2DConfig.self, forKey: .model))
        dataFolder = try c.decodeIfPresent(String.self, forKey: .dataFolder)
        numTrainTimesteps = try c.decodeIfPresent(Int.self, forKey: .numTrainTimesteps) ?? numTrainTimesteps
        if let name = try c.decodeIfPresent(String.self, forKey: .betaSchedule) {
            guard let schedule = DDPMSchedulerConfig.BetaSchedule(rawValue: name) else {
                throw DDPMSchedulerError.unsupportedValue(
                    key: "beta_schedule", value: "\"\(name)\"", supported: DDPMSchedulerConfig.BetaSchedule.allCases.map(\.rawValue))
            }
            betaSchedule = schedule
        }
        batchSize = try c.decodeIfPresent(Int.self, forKey: .batchSize) ?? batchSize
        learningRate = try c.decodeIfPresent(Double.self, forKey: .learningRate) ?? learningRate
        warmupSteps = try c.decodeIfPresent(Int.self, forKey: .warmupSteps) ?? warmupSteps
        steps = try c.decodeIfPresent(Int.self, forKey: .steps) ?? steps
        checkpointEvery = try c.decodeIfPresent(Int.self, forKey: .checkpointEvery) ?? checkpointEvery
        logEvery = try c.decodeIfPresent(Int.self, forKey: .logEvery) ?? logEvery
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? seed
        useEMA = try c.decodeIfPresent(Bool.self, forKey: .useEMA) ?? useEMA
        ema.invGamma = try c.decodeIfPresent(Double.self, forKey: .emaInvGamma) ?? ema.invGamma
        ema.power = try c.decodeIfPresent(Double.self, forKey: .emaPower) ?? ema.power
        ema.maxDecay = try c.decodeIfPresent(Double.self, forKey: .emaMaxDecay) ?? ema.maxDecay
        adam.beta1 = try c.decodeIfPresent(Double.self, forKey: .adamBeta1) ?? adam.beta1
        adam.beta2 = try c.decodeIfPresent(Double.self, forKey: .adamBeta2) ?? adam.beta2
        adam.weightDecay = try c.decodeIfPresent(Double.self, forKey: .adamWeightDecay) ?? adam.weightDecay
        adam.epsilon = try c.decodeIfPresent(Double.self, forKey: .adamEpsilon) ?? adam.epsilon
        maxGradNorm = try c.decodeIfPresent(Double.self, forKey: .maxGradNorm) ?? maxGradNorm
        try validate()
    }

    /// Writes every key.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(model, forKey: .model)
        try c.encodeIfPresent(dataFolder, forKey: .dataFolder)
        try c.encode(numTrainTimesteps, forKey: .numTrainTimesteps)
        try c.encode(betaSchedule, forKey: .betaSchedule)
        try c.encode(batchSize, forKey: .batchSize)
        try c.encode(learningRate, forKey: .learningRate)
        try c.encode(warmupSteps, forKey: .warmupSteps)
        try c.encode(steps, forKey: .steps)
        try c.encode(checkpointEvery, forKey: .checkpointEvery)
        try c.encode(logEvery, forKey: .logEvery)
        try c.encode(seed, forKey: .seed)
        try c.encode(useEMA, forKey: .useEMA)
        try c.encode(ema.invGamma, forKey: .emaInvGamma)
        try c.encode(ema.power, forKey: .emaPower)
        try c.encode(ema.maxDecay, forKey: .emaMaxDecay)
        try c.encode(adam.beta1, forKey: .adamBeta1)
        try c.encode(adam.beta2, forKey: .adamBeta2)
        try c.encode(adam.weightDecay, forKey: .adamWeightDecay)
        try c.encode(adam.epsilon, forKey: .adamEpsilon)
        try c.encode(maxGradNorm, forKey: .maxGradNorm)
    }
}

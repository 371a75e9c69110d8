/// The settings of a DDPM noise schedule, as diffusers' `scheduler_config.json` spells them.
///
/// Every key has diffusers' default, so a partial file decodes the way diffusers reads it.
/// Values diffusers knows but this implementation does not (e.g. `beta_schedule: "sigmoid"`,
/// `thresholding: true`) are refused while decoding, with the key and value named, instead of
/// being silently sampled with different mathematics.
public struct DDPMSchedulerConfig: Codable, Sendable, Equatable {
    /// How the per-step noise variances βₜ are laid out over the training timesteps.
    public enum BetaSchedule: String, Codable, Sendable, CaseIterable {
        /// βₜ evenly spaced from `beta_start` to `beta_end`.
        case linear
        /// √βₜ evenly spaced from √`beta_start` to √`beta_end`.
        case scaledLinear = "scaled_linear"
        /// The cosine schedule of Nichol & Dhariwal, βₜ capped at 0.999.
        case squaredcosCapV2 = "squaredcos_cap_v2"
    }

    /// What the model's output stands for.
    public enum PredictionType: String, Codable, Sendable, CaseIterable {
        /// The noise ε that was added.
        case epsilon
        /// The clean sample x₀.
        case sample
        /// The velocity v = √ᾱₜ ε − √(1−ᾱₜ) x₀.
        case vPrediction = "v_prediction"
    }

    /// The variance of the noise added back in each ancestral sampling step.
    public enum VarianceType: String, Codable, Sendable, CaseIterable {
        /// The posterior variance β̃ₜ = (1−ᾱₜ₋₁)/(1−ᾱₜ)·βₜ.
        case fixedSmall = "fixed_small"
        /// The same variance, with the standard deviation formed through a logarithm as diffusers does.
        case fixedSmallLog = "fixed_small_log"
        /// βₜ itself.
        case fixedLarge = "fixed_large"
    }

    /// How inference timesteps are picked from the training timesteps.
    public enum TimestepSpacing: String, Codable, Sendable, CaseIterable {
        /// Multiples of `num_train_timesteps / steps` from 0 (diffusers' default).
        case leading
        /// Evenly spaced from 0 to `num_train_timesteps − 1`, rounded.
        case linspace
        /// Evenly spaced down from `num_train_timesteps − 1`.
        case trailing
    }

    /// Number of diffusion steps the model is trained with.
    public var numTrainTimesteps = 1000
    /// First β of the linear schedules.
    public var betaStart = 0.0001
    /// Last β of the linear schedules.
    public var betaEnd = 0.02
    /// The β schedule.
    public var betaSchedule = BetaSchedule.linear
    /// Explicit βs (one per training timestep), overriding `betaSchedule` when present.
    public var trainedBetas: [Double]?
    /// Variance of the noise added in sampling steps.
    public var varianceType = VarianceType.fixedSmall
    /// Whether the predicted x₀ is clamped to ±`clipSampleRange` in sampling steps.
    public var clipSample = true
    /// What the model predicts.
    public var predictionType = PredictionType.epsilon
    /// Dynamic thresholding; only `false` is supported.
    public var thresholding = false
    /// Quantile of dynamic thresholding (kept for the file; unused while thresholding is off).
    public var dynamicThresholdingRatio = 0.995
    /// Bound of `clipSample`.
    public var clipSampleRange = 1.0
    /// Upper bound of dynamic thresholding (kept for the file; unused while thresholding is off).
    public var sampleMaxValue = 1.0
    /// How inference timesteps are spaced.
    public var timestepSpacing = TimestepSpacing.leading
    /// Added to every inference timestep under `leading` spacing.
    public var stepsOffset = 0
    /// Rescaling to zero terminal SNR; only `false` is supported.
    public var rescaleBetasZeroSnr = false

    /// diffusers' defaults.
    public init() {}

    /// diffusers' defaults with the given training length and β schedule.
    public init(numTrainTimesteps: Int, betaSchedule: BetaSchedule) {
        self.numTrainTimesteps = numTrainTimesteps
        self.betaSchedule = betaSchedule
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case className = "_class_name", diffusersVersion = "_diffusers_version"
        case numTrainTimesteps = "num_train_timesteps", betaStart = "beta_start", betaEnd = "beta_end"
        case betaSchedule = "beta_schedule", trainedBetas = "trained_betas", varianceType = "variance_type"
        case clipSample = "clip_sample", predictionType = "prediction_type", thresholding
        case dynamicThresholdingRatio = "dynamic_thresholding_ratio", clipSampleRange = "clip_sample_range"
        case sampleMaxValue = "sample_max_value", timestepSpacing = "timestep_spacing", stepsOffset = "steps_offset"
        case rescaleBetasZeroSnr = "rescale_betas_zero_snr"
    }

    /// Reads diffusers' keys; absent keys keep their defaults, unknown keys are ignored as
    /// diffusers ignores them, and unsupported or invalid values throw ``DDPMSchedulerError``.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        numTrainTimesteps = try c.decodeIfPresent(Int.self, forKey: .numTrainTimesteps) ?? numTrainTimesteps
        betaStart = try c.decodeIfPresent(Double.self, forKey: .betaStart) ?? betaStart
        betaEnd = try c.decodeIfPresent(Double.self, forKey: .betaEnd) ?? betaEnd
        betaSchedule = try Self.decodeChoice(c, .betaSchedule) ?? betaSchedule
        trainedBetas = try c.decodeIfPresent([Double].self, forKey: .trainedBetas)
        varianceType = try Self.decodeChoice(c, .varianceType) ?? varianceType
        clipSample = try c.decodeIfPresent(Bool.self, forKey: .clipSample) ?? clipSample
        predictionType = try Self.decodeChoice(c, .predictionType) ?? predictionType
        thresholding = try c.decodeIfPresent(Bool.self, forKey: .thresholding) ?? thresholding
        dynamicThresholdingRatio = try c.decodeIfPresent(Double.self, forKey: .dynamicThresholdingRatio) ?? dynamicThresholdingRatio
        clipSampleRange = try c.decodeIfPresent(Double.self, forKey: .clipSampleRange) ?? clipSampleRange
        sampleMaxValue = try c.decodeIfPresent(Double.self, forKey: .sampleMaxValue) ?? sampleMaxValue
        timestepSpacing = try Self.decodeChoice(c, .timestepSpacing) ?? timestepSpacing
        stepsOffset = try c.decodeIfPresent(Int.self, forKey: .stepsOffset) ?? stepsOffset
        rescaleBetasZeroSnr = try c.decodeIfPresent(Bool.self, forKey: .rescaleBetasZeroSnr) ?? rescaleBetasZeroSnr
        try validate()
    }

    /// Writes every key, as diffusers' `save_config` does (`trained_betas` as `null` when absent).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("DDPMScheduler", forKey: .className)
        try c.encode(CheckpointLayout.diffusersVersion, forKey: .diffusersVersion)
        try c.encode(numTrainTimesteps, forKey: .numTrainTimesteps)
        try c.encode(betaStart, forKey: .betaStart)
        try c.encode(betaEnd, forKey: .betaEnd)
        try c.encode(betaSchedule, forKey: .betaSchedule)
        if let trainedBetas { try c.encode(trainedBetas, forKey: .trainedBetas) } else { try c.encodeNil(forKey: .trainedBetas) }
        try c.encode(varianceType, forKey: .varianceType)
        try c.encode(clipSample, forKey: .clipSample)
        try c.encode(predictionType, forKey: .predictionType)
        try c.encode(thresholding, forKey: .thresholding)
        try c.encode(dynamicThresholdingRatio, forKey: .dynamicThresholdingRatio)
        try c.encode(clipSampleRange, forKey: .clipSampleRange)
        try c.encode(sampleMaxValue, forKey: .sampleMaxValue)
        try c.encode(timestepSpacing, forKey: .timestepSpacing)
        try c.encode(stepsOffset, forKey: .stepsOffset)
        try c.encode(rescaleBetasZeroSnr, forKey: .rescaleBetasZeroSnr)
    }

    /// Checks what the types cannot: ranges, and the features that are refused.
    public func validate() throws(DDPMSchedulerError) {
        guard numTrainTimesteps >= 1 else {
            throw .invalidValue(key: "num_train_timesteps", value: "\(numTrainTimesteps)", reason: "must be at least 1")
        }
        for (key, value) in [("beta_start", betaStart), ("beta_end", betaEnd)] where !(value > 0 && value < 1) {
            throw .invalidValue(key: key, value: "\(value)", reason: "must lie strictly between 0 and 1")
        }
        if let trainedBetas {
            guard trainedBetas.count == numTrainTimesteps else {
                throw .invalidValue(key: "trained_betas", value: "\(trainedBetas.count) values",
                                    reason: "need one per training timestep (\(numTrainTimesteps))")
            }
            if let bad = trainedBetas.first(where: { !($0 >= 0 && $0 < 1) }) {
                throw .invalidValue(key: "trained_betas", value: "\(bad)", reason: "every beta must lie in [0, 1)")
            }
        }
        guard clipSampleRange > 0 else {
            throw .invalidValue(key: "clip_sample_range", value: "\(clipSampleRange)", reason: "must be positive")
        }
        guard stepsOffset >= 0 else {
            throw .invalidValue(key: "steps_offset", value: "\(stepsOffset)", reason: "must not be negative")
        }
        guard !thresholding else { throw .unsupportedValue(key: "thresholding", value: "true", supported: ["false"]) }
        guard !rescaleBetasZeroSnr else {
            throw .unsupportedValue(key: "rescale_betas_zero_snr", value: "true", supported: ["false"])
        }
    }

    /// Decodes a string-valued choice, naming key and value when the choice is not supported.
    private static func decodeChoice<Choice: RawRepresentable & CaseIterable>(
        _ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys
    ) throws -> Choice? where Choice.RawValue == String {
        guard let text = try container.decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let choice = Choice(rawValue: text) else {
            throw DDPMSchedulerError.unsupportedValue(key: key.rawValue, value: "\"\(text)\"", supported: Choice.allCases.map(\.rawValue))
        }
        return choice
    }
}

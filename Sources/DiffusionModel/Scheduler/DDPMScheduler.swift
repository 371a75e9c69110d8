import Numerics

/// The denoising diffusion probabilistic model's noise schedule and sampling step, numerically
/// as diffusers' `DDPMScheduler` (Float32 arithmetic in the same order).
///
/// Tensors passed in are elementwise-aligned and batch-first; the layout of the remaining
/// dimensions does not matter (channels-last feature maps work as well as NCHW images).
public struct DDPMScheduler: Sendable {
    /// The configuration this schedule was built from.
    public let config: DDPMSchedulerConfig
    /// βₜ for every training timestep.
    public let betas: [Float]
    /// ᾱₜ = ∏ₛ≤ₜ (1 − βₛ) for every training timestep.
    public let alphasCumprod: [Float]
    /// The timesteps a sampling loop visits, in descending order: all training timesteps until
    /// ``setTimesteps(_:)`` picks fewer.
    public private(set) var timesteps: [Int]
    /// The count given to ``setTimesteps(_:)``, or `nil` for the full chain.
    public private(set) var inferenceStepCount: Int?

    /// A schedule for `config`, which is validated first.
    public init(config: DDPMSchedulerConfig) throws(DDPMSchedulerError) {
        try config.validate()
        self.config = config
        betas = config.betas()
        alphasCumprod = DDPMSchedulerConfig.alphasCumprod(betas: betas)
        timesteps = Array((0..<config.numTrainTimesteps).reversed())
        inferenceStepCount = nil
    }

    /// Number of training timesteps.
    public var trainTimesteps: Int { config.numTrainTimesteps }

    /// Picks `count` inference timesteps with the configured spacing (diffusers' `set_timesteps`).
    public mutating func setTimesteps(_ count: Int) throws(DDPMSchedulerError) {
        let total = config.numTrainTimesteps
        guard count >= 1, count <= total else { throw .invalidInferenceStepCount(requested: count, trainTimesteps: total) }
        let picked: [Int]
        switch config.timestepSpacing {
        case .leading:
            let ratio = total / count
            picked = (0..<count).reversed().map { $0 * ratio + config.stepsOffset }
        case .linspace:
            // numpy.linspace(0, total − 1, count) in Double, the last point exact, rounded half to even.
            let step = count > 1 ? Double(total - 1) / Double(count - 1) : 0
            picked = (0..<count).reversed().map { index in
                index == count - 1 && count > 1 ? total - 1 : Int((Double(index) * step).rounded(.toNearestOrEven))
            }
        case .trailing:
            // numpy.arange(total, 0, −total/count) rounded half to even, minus one.
            let ratio = Double(total) / Double(count)
            let length = Int((Double(total) / ratio).rounded(.up))
            picked = (0..<length).map { Int((Double(total) - Double($0) * ratio).rounded(.toNearestOrEven)) - 1 }
        }
        if let bad = picked.first(where: { $0 < 0 || $0 >= total }) {
            throw .invalidValue(key: "steps_offset", value: "\(config.stepsOffset)",
                                reason: "inference timestep \(bad) lies outside 0..<\(total) with \(count) steps")
        }
        timesteps = picked
        inferenceStepCount = count
    }

    /// The timestep that follows `timestep` in the sampling chain, or −1 after the last.
    ///
    /// `timestep` must be one of ``timesteps`` once ``setTimesteps(_:)`` has been called.
    public func previousTimestep(_ timestep: Int) -> Int {
        guard inferenceStepCount != nil else { return timestep - 1 }
        guard let index = timesteps.firstIndex(of: timestep) else {
            preconditionFailure("timestep \(timestep) is not one of the scheduled inference timesteps")
        }
        return index + 1 < timesteps.count ? timesteps[index + 1] : -1
    }

    /// The forward process: `√ᾱₜ · original + √(1 − ᾱₜ) · noise`, with one timestep per example
    /// (the first dimension).
    public func addNoise(original: Tensor, noise: Tensor, timesteps: [Int]) -> Tensor {
        precondition(original.shape == noise.shape, "addNoise: sample \(original.shape) vs noise \(noise.shape)")
        precondition(original.rank >= 1 && original.shape[0] == timesteps.count,
                     "addNoise: \(timesteps.count) timesteps for a batch of shape \(original.shape)")
        let perExample = timesteps.isEmpty ? 0 : original.count / timesteps.count
        var noisy = original
        for (example, timestep) in timesteps.enumerated() {
            precondition(timestep >= 0 && timestep < trainTimesteps, "timestep \(timestep) outside 0..<\(trainTimesteps)")
            let signal = alphasCumprod[timestep].squareRoot()
            let noiseScale = (1 - alphasCumprod[timestep]).squareRoot()
            for index in example * perExample..<(example + 1) * perExample {
                noisy.scalars[index] = signal * original.scalars[index] + noiseScale * noise.scalars[index]
            }
        }
        return noisy
    }

    /// One ancestral sampling step from `timestep` to ``previousTimestep(_:)`` (diffusers'
    /// `DDPMScheduler.step`).
    ///
    /// - Parameters:
    ///   - modelOutput: The model's prediction for `sample` at `timestep`, same shape as `sample`.
    ///   - varianceNoise: Standard normal noise of `sample`'s shape; required when `timestep > 0`
    ///     (the last step adds no noise).
    public func step(modelOutput: Tensor, timestep: Int, sample: Tensor, varianceNoise: Tensor?) -> DDPMStepResult {
        precondition(modelOutput.shape == sample.shape, "step: model output \(modelOutput.shape) vs sample \(sample.shape)")
        precondition(timestep >= 0 && timestep < trainTimesteps, "timestep \(timestep) outside 0..<\(trainTimesteps)")
        let coefficients = DDPMStepCoefficients(scheduler: self, timestep: timestep)
        let original = predictedOriginal(modelOutput: modelOutput, sample: sample, coefficients: coefficients)
        var previous = sample
        for index in previous.scalars.indices {
            previous.scalars[index] = coefficients.originalWeight * original.scalars[index]
                + coefficients.sampleWeight * sample.scalars[index]
        }
        if timestep > 0 {
            guard let varianceNoise else { preconditionFailure("step: timestep \(timestep) > 0 needs variance noise") }
            precondition(varianceNoise.shape == sample.shape, "step: noise \(varianceNoise.shape) vs sample \(sample.shape)")
            previous.add(varianceNoise, scaledBy: coefficients.noiseScale(config.varianceType))
        }
        return DDPMStepResult(previousSample: previous, predictedOriginal: original)
    }

    /// x₀ implied by the model output, clipped when the config asks for it.
    private func predictedOriginal(modelOutput: Tensor, sample: Tensor, coefficients c: DDPMStepCoefficients) -> Tensor {
        var original = modelOutput
        switch config.predictionType {
        case .epsilon:
            for index in original.scalars.indices {
                original.scalars[index] = (sample.scalars[index] - c.sqrtBetaProduct * modelOutput.scalars[index]) / c.sqrtAlphaProduct
            }
        case .vPrediction:
            for index in original.scalars.indices {
                original.scalars[index] = c.sqrtAlphaProduct * sample.scalars[index] - c.sqrtBetaProduct * modelOutput.scalars[index]
            }
        case .sample:
            break
        }
        if config.clipSample {
            let bound = Float(config.clipSampleRange)
            for index in original.scalars.indices {
                original.scalars[index] = min(max(original.scalars[index], -bound), bound)
            }
        }
        return original
    }
}

/// The outcome of one ``DDPMScheduler/step(modelOutput:timestep:sample:varianceNoise:)``.
public struct DDPMStepResult: Sendable {
    /// xₜ₋₁: the sample at the previous timestep, the next input of the sampling loop.
    public let previousSample: Tensor
    /// The predicted clean sample x₀ (after clipping).
    public let predictedOriginal: Tensor
}

import Numerics

/// Generates images with a trained UNet by ancestral DDPM sampling, as diffusers' `DDPMPipeline`:
/// start from standard normal noise, and for each scheduled timestep predict the noise and take
/// one ``DDPMScheduler`` step.
///
/// Every random number comes from a ``SeededGenerator`` keyed by the seed, the image's index and
/// the step, so image `i` of a seed is the same whatever the count and the batch size.
public struct AncestralSampler: Sendable {
    /// The noise-prediction network.
    public let model: UNet2DModel
    /// The noise schedule the model was trained with.
    public let schedulerConfig: DDPMSchedulerConfig

    /// A sampler for `model` under `schedulerConfig`.
    public init(model: UNet2DModel, schedulerConfig: DDPMSchedulerConfig) {
        self.model = model
        self.schedulerConfig = schedulerConfig
    }

    /// Generates `count` images of `size × size` pixels with `steps` inference steps.
    ///
    /// - Parameters:
    ///   - batchSize: Images passed through the model at once (memory grows with it).
    ///   - progress: Called after each denoising step of each batch with (images finished
    ///     before this batch, step index, steps).
    /// - Returns: `[count, in_channels, size, size]` (NCHW) in [-1, 1] (clamped as the pipeline does).
    public func sample(
        count: Int, size: Int, steps: Int, seed: UInt64, batchSize: Int = 64,
        progress: ((_ imagesDone: Int, _ step: Int, _ steps: Int) -> Void)? = nil
    ) throws(DDPMSchedulerError) -> Tensor {
        precondition(count >= 0 && size > 0 && batchSize > 0, "invalid sampling request")
        var scheduler = try DDPMScheduler(config: schedulerConfig)
        try scheduler.setTimesteps(steps)
        let channels = model.config.inChannels
        var images: [Float] = []
        images.reserveCapacity(count * channels * size * size)
        for first in stride(from: 0, to: count, by: batchSize) {
            let indices = first..<min(first + batchSize, count)
            let batch = denoise(indices, size: size, seed: seed, scheduler: scheduler) { step in
                progress?(first, step, scheduler.timesteps.count)
            }
            images += batch.scalars.map { min(max($0, -1), 1) }
        }
        return Tensor(shape: [count, channels, size, size], scalars: images)
    }

    /// Runs the whole chain for the images `indices`; returns them NCHW.
    private func denoise(_ indices: Range<Int>, size: Int, seed: UInt64, scheduler: DDPMScheduler, afterStep: (Int) -> Void) -> Tensor {
        let shape = [indices.count, model.config.inChannels, size, size]
        var sample = Self.noise(shape: shape, indices: indices) { SeededGenerator(keys: seed, Stream.initialNoise, UInt64($0)) }
            .nchwToNHWC()
        for (stepIndex, timestep) in scheduler.timesteps.enumerated() {
            let prediction = predictNoise(sample, timestep: timestep)
            let varianceNoise = timestep > 0
                ? Self.noise(shape: shape, indices: indices) {
                    SeededGenerator(keys: seed, Stream.stepNoise, UInt64($0), UInt64(stepIndex))
                }.nchwToNHWC()
                : nil
            sample = scheduler.step(modelOutput: prediction, timestep: timestep, sample: sample, varianceNoise: varianceNoise)
                .previousSample
            afterStep(stepIndex)
        }
        return sample.nhwcToNCHW()
    }

    /// One forward pass without gradients: parameters are tape constants, so no pullbacks are kept.
    private func predictNoise(_ sample: Tensor, timestep: Int) -> Tensor {
        let tape = Tape()
        let parameters = model.parameters.record(on: tape, requiringGradients: false)
        let output = model.forward(
            sample: tape.constant(sample), timesteps: [Float(timestep)], parameters: parameters, tape: tape)
        return tape.value(output)
    }

    /// Standard normal noise `[N, C, H, W]`, each image from its own generator.
    private static func noise(shape: [Int], indices: Range<Int>, generator: (Int) -> SeededGenerator) -> Tensor {
        let perImage = shape.dropFirst().reduce(1, *)
        var scalars: [Float] = []
        scalars.reserveCapacity(indices.count * perImage)
        for index in indices {
            var random = generator(index)
            scalars += random.normals(count: perImage)
        }
        return Tensor(shape: shape, scalars: scalars)
    }

    /// Keys that separate the sampler's random streams from each other and from training's.
    private enum Stream {
        static let initialNoise: UInt64 = 0x5341_4D50_0000_0001  // "SAMP" 1
        static let stepNoise: UInt64 = 0x5341_4D50_0000_0002  // "SAMP" 2
    }
}

import DiffusionModel
import Numerics

/// The ground-truth measurement of the LDS protocol: the DDPM training loss of a generated
/// sample under a model, `m(x̂) = (1/K) Σ_k mean((ε̂(√ᾱ x̂ + √(1−ᾱ) ε_k, t_k) − ε_k)²)`.
///
/// The K draws (t_k, ε_k) are a pure function of (seed, sample index, k), so every retrained
/// model is measured on exactly the same noisy inputs and the comparison between models carries
/// no Monte-Carlo noise of its own.
public struct SampleLossMeasurement: Sendable {
    /// Draws per sample.
    public let draws: Int
    /// Seed of the draws.
    public let seed: UInt64
    /// Copies evaluated per forward pass.
    public let batchSize: Int

    /// A measurement with `draws` fixed draws per sample.
    public init(draws: Int, seed: UInt64, batchSize: Int = 128) {
        precondition(draws > 0 && batchSize > 0, "SampleLossMeasurement: draws and batch size must be positive")
        self.draws = draws
        self.seed = seed
        self.batchSize = batchSize
    }

    /// `m(x̂_q)` for every sample of `samples` (`[Q, C, H, W]` in [-1, 1]) under `model`.
    public func measure(samples: Tensor, model: UNet2DModel, scheduler: DDPMScheduler) -> [Double] {
        let count = samples.shape[0]
        let perImage = samples.count / max(count, 1)
        var copies: [(sample: Int, draw: Int)] = []
        for sample in 0..<count { for draw in 0..<draws { copies.append((sample, draw)) } }
        var totals = [Double](repeating: 0, count: count)
        for start in stride(from: 0, to: copies.count, by: batchSize) {
            let batch = copies[start..<min(start + batchSize, copies.count)]
            var images: [Float] = [], noise: [Float] = [], timesteps: [Int] = []
            images.reserveCapacity(batch.count * perImage)
            noise.reserveCapacity(batch.count * perImage)
            for copy in batch {
                images += samples.scalars[(copy.sample * perImage)..<((copy.sample + 1) * perImage)]
                var generator = SeededGenerator(keys: seed, Self.stream, UInt64(copy.sample), UInt64(copy.draw))
                timesteps.append(Int(generator.nextWord() % UInt32(scheduler.trainTimesteps)))
                noise += generator.normals(count: perImage)
            }
            let shape = [batch.count] + samples.shape.dropFirst()
            let losses = perCopyLoss(
                images: Tensor(shape: shape, scalars: images), noise: Tensor(shape: shape, scalars: noise),
                timesteps: timesteps, model: model, scheduler: scheduler)
            for (copy, loss) in zip(batch, losses) { totals[copy.sample] += Double(loss) }
        }
        return totals.map { $0 / Double(draws) }
    }

    /// The mean squared noise-prediction error of each copy, without recording gradients.
    private func perCopyLoss(images: Tensor, noise: Tensor, timesteps: [Int], model: UNet2DModel, scheduler: DDPMScheduler) -> [Float] {
        let tape = Tape()
        let parameters = model.parameters.record(on: tape, requiringGradients: false)
        let noisy = scheduler.addNoise(original: images, noise: noise, timesteps: timesteps).nchwToNHWC()
        let prediction = tape.value(model.forward(
            sample: tape.constant(noisy), timesteps: timesteps.map(Float.init), parameters: parameters, tape: tape))
        let target = noise.nchwToNHWC()
        let perImage = target.count / max(timesteps.count, 1)
        return (0..<timesteps.count).map { copy in
            var sum: Float = 0
            for index in (copy * perImage)..<((copy + 1) * perImage) {
                let difference = prediction.scalars[index] - target.scalars[index]
                sum += difference * difference
            }
            return sum / Float(perImage)
        }
    }

    private static let stream: UInt64 = 0x4C44_534D  // "LDSM"
}

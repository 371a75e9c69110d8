import DiffusionModel
import Numerics

/// The model's denoising loss on held-out images (name `held_out_loss`; lower is better).
///
///     F = (1/M) Σ_i ℓ_i,    ℓ_i = (1/K) Σ_k mean((ε̂(√ᾱ_{t_ik} x_i + √(1−ᾱ_{t_ik}) ε_ik, t_ik) − ε_ik)²)
///
/// over the `M` held-out images `x_i`, with `K` draws `(t_ik, ε_ik)` per image fixed by
/// `(seed, i, k)`, so every model is measured on the same draws. Each term is
/// ``DenoisingObjective``'s loss, the training loss.
///
/// **Relation to the influence engine.** `ℓ_i` is exactly the per-image quantity of the engine's
/// `loss` query measurement, `(1/K) Σ_k mean((ε̂ − ε_k)²)` with equal timestep weights; only the
/// draws differ (the engine keys them by its draw seed and the image's content hash and uses its
/// own `K`). Both are Monte-Carlo estimates of the same expectation over `t ~ U{0..T−1}`,
/// `ε ~ N(0, I)`, so `∇F = (1/M) Σ_i ∇ℓ(x_i)` holds exactly for the expectation and the gradient
/// target is the held-out images with weights `1/M`.
public struct HeldOutDiffusionLoss: ModelProperty {
    /// The held-out images `[M, C, H, W]`.
    public let images: Tensor
    /// `K`: draws per image.
    public let drawsPerImage: Int
    /// Most noised copies (images × draws) sent through the network at once; bounds memory and
    /// changes nothing but rounding.
    public let maxBatch: Int
    /// The noise schedule the model is trained with.
    public let scheduler: DDPMScheduler
    private let draws: HeldOutDraws

    /// The held-out loss over `images` `[M, C, H, W]` with `drawsPerImage` draws keyed by `seed`.
    public init(images: Tensor, schedulerConfig: DDPMSchedulerConfig, drawsPerImage: Int = 8, seed: UInt64 = 0,
                maxBatch: Int = 64) throws(PropertyError) {
        try ImageChecks.validate(images, property: Self.propertyName, minimum: 1, heldOut: true)
        for (setting, value) in [("drawsPerImage", drawsPerImage), ("maxBatch", maxBatch)] where value < 1 {
            throw .invalidSetting(name: setting, value: "\(value)", reason: "must be at least 1")
        }
        do { scheduler = try DDPMScheduler(config: schedulerConfig) } catch { throw .scheduler(error) }
        self.images = images
        self.drawsPerImage = drawsPerImage
        self.maxBatch = maxBatch
        draws = HeldOutDraws(seed: seed)
    }

    /// The property's name.
    public static let propertyName = "held_out_loss"
    /// `held_out_loss`.
    public var name: String { Self.propertyName }
    /// False: a lower loss is better.
    public var higherIsBetter: Bool { false }
    /// False: only held-out images are read.
    public var usesGeneratedSamples: Bool { false }
    /// The held-out images' `[C, H, W]`.
    public var imageShape: [Int]? { Array(images.shape.dropFirst()) }

    /// The timestep and noise (NCHW, one image's worth) of draw `draw` of held-out image `image`.
    public func draw(image: Int, draw: Int) -> (timestep: Int, noise: [Float]) {
        draws.timestepAndNoise(image: image, draw: draw, trainTimesteps: scheduler.trainTimesteps, count: images.count / images.shape[0])
    }

    /// `F` for `model`; `generated` is ignored.
    public func measure(model: UNet2DModel, generated: Tensor?) -> Double {
        let objective = DenoisingObjective(model: model, scheduler: scheduler)
        let perImage = images.count / images.shape[0]
        let copies = images.shape[0] * drawsPerImage
        var total = 0.0
        for first in stride(from: 0, to: copies, by: maxBatch) {
            let batch = first..<min(first + maxBatch, copies)
            var clean: [Float] = [], noise: [Float] = [], timesteps: [Int] = []
            clean.reserveCapacity(batch.count * perImage)
            noise.reserveCapacity(batch.count * perImage)
            for copy in batch {
                let image = copy / drawsPerImage
                let (timestep, values) = draw(image: image, draw: copy % drawsPerImage)
                clean += images.scalars[image * perImage..<(image + 1) * perImage]
                noise += values
                timesteps.append(timestep)
            }
            let shape = [batch.count] + images.shape.dropFirst()
            let loss = objective.loss(parameters: model.parameters, images: Tensor(shape: shape, scalars: clean),
                                      noise: Tensor(shape: shape, scalars: noise), timesteps: timesteps)
            // The batch loss is a mean over equally sized copies, so weighting it by the copy count
            // and dividing by all copies gives the mean over copies.
            total += Double(loss) * Double(batch.count)
        }
        return total / Double(copies)
    }

    /// The held-out images, each with weight `1/M` (see the type's documentation).
    public func gradientTarget(model: UNet2DModel, generated: Tensor?) -> PropertyGradientTarget {
        let count = images.shape[0]
        return PropertyGradientTarget(samples: images, weights: Array(repeating: 1 / Double(count), count: count))
    }
}

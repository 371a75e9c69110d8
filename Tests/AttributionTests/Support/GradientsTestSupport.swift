@testable import Attribution
import DiffusionModel
import Numerics
import Testing

/// Tiny models, images and tape-computed reference gradients for the gradient-engine tests.
enum GradientsTestSupport {
    /// Two levels (plain and attention blocks), one ResNet per block, 1 channel: a few thousand
    /// parameters, every observed layer kind (convs, 1x1 shortcut, time embedding, attention).
    static func tinyConfig() throws -> UNet2DConfig {
        try UNet2DConfig(
            sampleSize: 4, inChannels: 1, outChannels: 1, downBlockTypes: [.downBlock2D, .attnDownBlock2D],
            upBlockTypes: [.attnUpBlock2D, .upBlock2D], blockOutChannels: [4, 8], layersPerBlock: 1,
            attentionHeadDim: 4, normNumGroups: 2, resnetTimeScaleShift: .scaleShift)
    }

    static func tinyModel(seed: UInt64 = 7) throws -> UNet2DModel {
        UNet2DModel(config: try tinyConfig(), seed: seed)
    }

    static func scheduler() throws -> DDPMScheduler {
        try DDPMScheduler(config: DDPMSchedulerConfig(numTrainTimesteps: 1000, betaSchedule: .linear))
    }

    static func engine(_ settings: GradientSettings, model: UNet2DModel? = nil) throws -> GradientEngine {
        try GradientEngine(model: model ?? tinyModel(), scheduler: scheduler(), settings: settings)
    }

    /// `count` images `[count, 1, 4, 4]` uniform in [-1, 1].
    static func images(count: Int, seed: UInt64 = 3) -> Tensor {
        var generator = SeededGenerator(keys: 0x1A6E, seed)
        return Tensor(shape: [count, 1, 4, 4], scalars: (0..<(count * 16)).map { _ in 2 * generator.nextUniform() - 1 })
    }

    /// Image `index` of `images` as a batch of one.
    static func image(_ images: Tensor, _ index: Int) -> Tensor {
        let perImage = images.count / images.shape[0]
        return Tensor(shape: [1] + images.shape.dropFirst(),
                      scalars: Array(images.scalars[index * perImage..<(index + 1) * perImage]))
    }

    /// Row `row` of a `[rows, columns]` tensor.
    static func row(_ matrix: Tensor, _ row: Int) -> [Float] {
        let columns = matrix.shape[1]
        return Array(matrix.scalars[row * columns..<(row + 1) * columns])
    }

    /// Tape parameter gradients flattened like an identity-projection vector: per observed layer,
    /// the weight as `[dOut, dIn]` with the bias appended as a last column.
    static func flatten(_ gradients: [String: Tensor], layers: [ObservedLayer]) throws -> [Float] {
        var flat: [Float] = []
        for layer in layers {
            let weight = try #require(gradients["\(layer.name).weight"])
            let bias = gradients["\(layer.name).bias"]
            try #require(bias != nil || !layer.hasBias, "no gradient for \(layer.name).bias")
            for output in 0..<layer.outputFeatures {
                flat.append(contentsOf: weight.scalars[output * layer.inputFeatures..<(output + 1) * layer.inputFeatures])
                if let bias { flat.append(bias.scalars[output]) }
            }
        }
        return flat
    }

    /// The tape's gradient of `(1/K) Σ_k w(t_k) mean((ε̂ − ε_k)²)` for one image, with the engine's
    /// draws of `key` in `stream`, one tape per draw, flattened in identity layout.
    static func referenceGradient(model: UNet2DModel, scheduler: DDPMScheduler, image: Tensor, key: UInt64,
                                  stream: UInt64, draws: Int, drawSeed: UInt64, weights: [Float]? = nil) throws -> [Float] {
        let objective = DenoisingObjective(model: model, scheduler: scheduler)
        let monteCarlo = MonteCarloDraws(seed: drawSeed)
        var sum: [Float]?
        for draw in 0..<draws {
            let (timestep, noise) = monteCarlo.timestepAndNoise(stream: stream, key: key, draw: draw,
                                                                trainTimesteps: scheduler.trainTimesteps, count: image.count)
            let (_, gradients) = objective.lossAndGradients(parameters: model.parameters, images: image,
                                                            noise: Tensor(shape: image.shape, scalars: noise), timesteps: [timestep])
            let scale = (weights?[timestep] ?? 1) / Float(draws)
            let flat = try flatten(gradients, layers: model.observedLayers).map { $0 * scale }
            sum = sum.map { zip($0, flat).map(+) } ?? flat
        }
        return try #require(sum)
    }

    /// `‖ours − reference‖₂ / ‖reference‖₂`, in Double.
    static func relativeError(_ ours: [Float], _ reference: [Float]) -> Double {
        precondition(ours.count == reference.count, "compared \(ours.count) with \(reference.count) values")
        var difference = 0.0, norm = 0.0
        for (a, b) in zip(ours, reference) {
            difference += (Double(a) - Double(b)) * (Double(a) - Double(b))
            norm += Double(b) * Double(b)
        }
        return (difference / max(norm, .leastNormalMagnitude)).squareRoot()
    }
}

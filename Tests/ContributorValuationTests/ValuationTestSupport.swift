import ContributorValuation
import DiffusionModel
import Foundation
import Numerics

/// Tiny models, data and measurements shared by the contributor-valuation tests.
enum ValuationTestSupport {
    /// A two-level UNet on 4×4 single-channel images with attention (a few thousand weights).
    static func tinyConfig() throws -> UNet2DConfig {
        try UNet2DConfig(
            sampleSize: 4, inChannels: 1, outChannels: 1,
            downBlockTypes: [.downBlock2D, .attnDownBlock2D], upBlockTypes: [.attnUpBlock2D, .upBlock2D],
            blockOutChannels: [4, 8], layersPerBlock: 1, attentionHeadDim: 4, normNumGroups: 2,
            resnetTimeScaleShift: .scaleShift)
    }

    /// A short training schedule.
    static let schedulerConfig = DDPMSchedulerConfig(numTrainTimesteps: 1000, betaSchedule: .linear)

    /// Three steps of four examples with a warm-up step, clipping and a fixed seed.
    static func recipe(steps: Int = 3, batchSize: Int = 4, learningRate: Double = 1e-2) -> CoalitionTrainingRecipe {
        CoalitionTrainingRecipe(steps: steps, batchSize: batchSize, learningRate: learningRate, warmupSteps: 1, maxGradNorm: 1, seed: 3)
    }

    /// Eight 1×4×4 images in [-1, 1] (bars and checkers of varying phase).
    static let images: Tensor = {
        let scalars = (0..<8).flatMap { example in
            (0..<16).map { pixel -> Float in
                let (row, column) = (pixel / 4, pixel % 4)
                let on = example % 2 == 0 ? (column + example / 2) % 4 < 2 : (row + column + example) % 2 == 0
                return on ? 0.8 : -0.6
            }
        }
        return Tensor(shape: [8, 1, 4, 4], scalars: scalars)
    }()

    /// Ids 100…107.
    static let ids: [Int64] = Array(100..<108)

    /// Contributors 10, 20, 30, 40 with 3, 2, 2 and 1 examples: players 0…3.
    static let partition = ContributorPartition(contributorOfExample: [10, 20, 10, 30, 20, 40, 30, 10])

    /// Two properties of a model: the denoising loss on two fixed held-out images at fixed draws,
    /// and the sum of every weight.
    static func measure(_ model: UNet2DModel) throws -> [Double] {
        let objective = DenoisingObjective(model: model, scheduler: try DDPMScheduler(config: schedulerConfig))
        var generator = SeededGenerator(keys: 0x4E1D)
        let heldOut = Tensor(shape: [2, 1, 4, 4], scalars: generator.normals(count: 32).map { max(-1, min(1, 0.5 * $0)) })
        let noise = Tensor(shape: [2, 1, 4, 4], scalars: generator.normals(count: 32))
        let loss = objective.loss(parameters: model.parameters, images: heldOut, noise: noise, timesteps: [100, 600])
        return [Double(loss), model.parameters.entries.reduce(0) { $0 + $1.tensor.sum() }]
    }

    /// A fresh empty folder; remove it with ``remove(_:)``.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("contributor-valuation-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Removes a temporary folder.
    static func remove(_ url: URL) {
        try? FileManager.default.removeItem(at: url)
    }
}

/// Remembers every model a game measured, so tests can inspect the trained weights.
final class MeasuredModels {
    private(set) var parameters: [ParameterSet] = []

    /// A measuring closure that records the model and then measures it.
    func recording() -> (UNet2DModel) throws -> [Double] {
        { model in
            self.parameters.append(model.parameters)
            return try ValuationTestSupport.measure(model)
        }
    }
}

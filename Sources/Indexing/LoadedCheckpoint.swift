import Attribution
import DiffusionModel
import Foundation

/// A checkpoint's generating model with a gradient engine over it.
///
/// Attribution uses the weights that generate samples: the weight average when the checkpoint
/// has one (as diffusers' pipelines save), else the trained weights.
public struct LoadedCheckpoint: Sendable {
    /// The checkpoint's training step.
    public let step: Int
    /// The engine taking gradients through the checkpoint's model.
    public let engine: GradientEngine

    /// Loads the checkpoint in `folder` (the run's checkpoint of `step`) with `gradients` as the
    /// engine's settings.
    ///
    /// - Throws: ``IndexingError/unreadableCheckpoint(step:reason:)`` when the folder's model or
    ///   scheduler cannot be loaded or the engine cannot be built over them.
    public init(folder: URL, step: Int, gradients: GradientSettings) throws(IndexingError) {
        do {
            let checkpoint = try Checkpoint.load(folder)
            let scheduler = try DDPMScheduler(config: checkpoint.schedulerConfig)
            engine = try GradientEngine(model: checkpoint.samplingModel, scheduler: scheduler, settings: gradients)
        } catch {
            throw .unreadableCheckpoint(step: step, reason: "\(error)")
        }
        self.step = step
    }

    /// Throws unless a shard's images `[N, C, H, W]` can go through the model: the model's
    /// channels and sides a multiple of its downsampling. Training data is not held to the
    /// configured sample size, as the model accepts any such side.
    func checkFits(_ images: [Int], file: String) throws(IndexingError) {
        let config = engine.model.config
        guard images.count == 4, images[1] == config.inChannels, fitsSpatially(images) else {
            throw .imageShapeMismatch(file: file, found: images,
                                      expected: "\(config.inChannels) channels, sides a multiple of \(config.spatialSizeMultiple)")
        }
    }

    /// Throws unless query samples `[Q, C, H, W]` fit the model: its channels, and its configured
    /// sample size when it names one (a query's gradients only mean something at the size the
    /// model generates), else sides a multiple of its downsampling.
    ///
    /// - Throws: ``IndexingError/sampleShapeMismatch(step:expected:found:)`` naming both shapes.
    public func checkSamplesFit(_ shape: [Int]) throws(IndexingError) {
        let config = engine.model.config
        let expected: String
        let fits: Bool
        if let side = config.sampleSize {
            expected = "[\(config.inChannels), \(side), \(side)]"
            fits = shape.count == 4 && shape[1] == config.inChannels && shape[2] == side && shape[3] == side
        } else {
            expected = "[\(config.inChannels), H, W] with H and W multiples of \(config.spatialSizeMultiple)"
            fits = shape.count == 4 && shape[1] == config.inChannels && fitsSpatially(shape)
        }
        guard fits else { throw .sampleShapeMismatch(step: step, expected: expected, found: Array(shape.dropFirst())) }
    }

    /// Whether the sides of `shape` (`[N, C, H, W]`) are positive multiples of the downsampling.
    private func fitsSpatially(_ shape: [Int]) -> Bool {
        let multiple = engine.model.config.spatialSizeMultiple
        return shape[2] > 0 && shape[3] > 0 && shape[2] % multiple == 0 && shape[3] % multiple == 0
    }
}

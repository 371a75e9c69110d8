import Attribution
import DiffusionModel
import Foundation

/// A checkpoint's generating model with a gradient engine over it.
///
/// Attribution uses the weights that generate samples: the weight average when the checkpoint
/// has one (as diffusers' pipelines save), else the trained weights.
struct LoadedCheckpoint: Sendable {
    let step: Int
    let engine: GradientEngine

    init(folder: URL, step: Int, gradients: GradientSettings) throws(IndexingError) {
        do {
            let checkpoint = try Checkpoint.load(folder)
            let scheduler = try DDPMScheduler(config: checkpoint.schedulerConfig)
            engine = try GradientEngine(model: checkpoint.samplingModel, scheduler: scheduler, settings: gradients)
        } catch {
            throw .unreadableCheckpoint(step: step, reason: "\(error)")
        }
        self.step = step
    }

    /// Throws when `images` (`[N, C, H, W]`) cannot go through this checkpoint's model.
    func checkFits(_ images: [Int], file: String) throws(IndexingError) {
        let config = engine.model.config
        let multiple = config.spatialSizeMultiple
        guard images.count == 4, images[1] == config.inChannels, images[2] % multiple == 0, images[3] % multiple == 0,
              images[2] > 0, images[3] > 0 else {
            throw .imageShapeMismatch(file: file, found: images,
                                      expected: "\(config.inChannels) channels, sides a multiple of \(multiple)")
        }
    }
}

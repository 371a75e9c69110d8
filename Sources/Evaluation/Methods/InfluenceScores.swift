import Attribution
import DiffusionModel
import Numerics

/// Influence scores `τ(i, x̂) = q̃ᵀ (H̃ + λI)⁻¹ g̃_i` of every training example for every query
/// sample, from one pass of the gradient engine: the gradients and curvature evidence are
/// computed once per projection, then any number of curvature modes and dampings are scored.
public struct InfluenceScores {
    /// Training gradients `[N, dimension]`.
    public let training: Tensor
    /// Query gradients `[Q, dimension]`.
    public let queries: Tensor
    /// The curvature evidence of the training pass.
    public let accumulator: CurvatureAccumulator

    /// Computes the projected gradients of `images` (`[N, C, H, W]`, ids `ids`) and of `samples`
    /// under `settings`, accumulating the curvature evidence of the same forward passes.
    public init(model: UNet2DModel, scheduler: DDPMScheduler, settings: GradientSettings,
                images: Tensor, ids: [Int64], samples: Tensor) throws {
        let engine = try GradientEngine(model: model, scheduler: scheduler, settings: settings)
        var accumulator = CurvatureAccumulator(layout: engine.layout)
        // The engine bounds memory itself, sending at most `maxBatch` noised copies at once.
        training = try engine.trainingGradients(images: images, ids: ids, accumulating: &accumulator)
        queries = try engine.queryGradients(samples: samples)
        self.accumulator = accumulator
    }

    /// `scores[q][i]` under `mode` with `damping`.
    public func scores(mode: Curvature.Mode, damping: Curvature.Damping) throws -> [[Double]] {
        let curvature = try Curvature(accumulator, mode: mode, damping: damping)
        return ScoreMatrix.rowDotProducts(curvature.precondition(queries), training)
    }
}

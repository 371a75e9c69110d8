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
        var rows: [Float] = []
        let perImage = images.count / max(ids.count, 1)
        let chunk = max(1, settings.maxBatch / settings.drawsPerExample)
        for start in stride(from: 0, to: ids.count, by: chunk) {
            let end = min(start + chunk, ids.count)
            let batch = Tensor(shape: [end - start] + images.shape.dropFirst(),
                               scalars: Array(images.scalars[(start * perImage)..<(end * perImage)]))
            rows += try engine.trainingGradients(images: batch, ids: Array(ids[start..<end]), accumulating: &accumulator).scalars
        }
        training = Tensor(shape: [ids.count, engine.layout.dimension], scalars: rows)
        queries = try engine.queryGradients(samples: samples)
        self.accumulator = accumulator
    }

    /// `scores[q][i]` under `mode` with `damping`.
    public func scores(mode: Curvature.Mode, damping: Curvature.Damping) throws -> [[Double]] {
        let curvature = try Curvature(accumulator, mode: mode, damping: damping)
        return Self.dotProducts(curvature.precondition(queries), training)
    }

    /// `[Q × N]` inner products of the rows of `left` and `right`, as nested arrays.
    static func dotProducts(_ left: Tensor, _ right: Tensor) -> [[Double]] {
        let products = left.matmul(right, transposeOther: .transposed)
        let columns = right.shape[0]
        return (0..<left.shape[0]).map { row in products.scalars[(row * columns)..<((row + 1) * columns)].map(Double.init) }
    }
}

import DiffusionModel
import Numerics

/// Projected per-example gradients of a diffusion model: training examples' loss gradients, query
/// measurement gradients, and the curvature evidence K-FAC needs, all in the Kronecker-projected
/// space of ``KroneckerProjection``.
///
/// A training example's vector is `∇θ ℓ(x)` with `ℓ(x) = (1/K) Σ_k mean((ε̂ − ε_k)²)`, the
/// draws `(t_k, ε_k)` keyed by `(drawSeed, stream, exampleID, k)`: it depends on the example and
/// the settings, never on the batch it is computed in.
public struct GradientEngine: Sendable {
    /// The network whose parameters the gradients are taken with respect to.
    public let model: UNet2DModel
    /// The noise schedule of the loss.
    public let scheduler: DDPMScheduler
    /// The settings every vector is made under.
    public let settings: GradientSettings
    /// The per-layer projection, built from the settings.
    public let projection: KroneckerProjection

    /// The layout of every vector this engine returns.
    public var layout: GradientLayout { projection.layout }

    /// An engine for `model` under `scheduler`; throws when `settings` are invalid.
    public init(model: UNet2DModel, scheduler: DDPMScheduler, settings: GradientSettings) throws(GradientError) {
        try settings.validate()
        self.model = model
        self.scheduler = scheduler
        self.settings = settings
        projection = KroneckerProjection(layers: model.observedLayers, dimensions: settings.projection, seed: settings.projectionSeed)
    }

    /// `[B, dimension]`: the projected loss gradient of every training example.
    ///
    /// - Parameters:
    ///   - images: Clean images `[B, C, H, W]` in `[-1, 1]` (the data-shard convention).
    ///   - ids: The examples' ids, which key their draws.
    public func trainingGradients(images: Tensor, ids: [Int64]) throws(GradientError) -> Tensor {
        let request = try trainingRequest(images: images, ids: ids)
        return core.run(request, gradients: true, curvature: nil, handler: nil) ?? Tensor(shape: [0, layout.dimension])
    }

    /// ``trainingGradients(images:ids:)``, and from the same forward pass the curvature evidence
    /// of every copy (``GradientSettings/curvature`` seeds), one ``LayerCurvatureBatch`` per layer
    /// per batch of copies, handed to `curvature` as it is produced.
    public func trainingGradients(images: Tensor, ids: [Int64],
                                  curvature: (LayerCurvatureBatch) -> Void) throws(GradientError) -> Tensor {
        let request = try trainingRequest(images: images, ids: ids)
        return withoutActuallyEscaping(curvature) { handler in
            core.run(request, gradients: true, curvature: settings.curvature, handler: handler)
        } ?? Tensor(shape: [0, layout.dimension])
    }

    /// ``trainingGradients(images:ids:curvature:)`` adding the evidence to `accumulator`.
    public func trainingGradients(images: Tensor, ids: [Int64],
                                  accumulating accumulator: inout CurvatureAccumulator) throws(GradientError) -> Tensor {
        try trainingGradients(images: images, ids: ids) { accumulator.add($0) }
    }

    /// Only the curvature evidence of ``trainingGradients(images:ids:curvature:)`` (the same
    /// draws and seeds), skipping the gradient backward pass: for a second pass over data
    /// whose vectors are already stored.
    public func curvatureEvidence(images: Tensor, ids: [Int64], handler: (LayerCurvatureBatch) -> Void) throws(GradientError) {
        let request = try trainingRequest(images: images, ids: ids)
        _ = withoutActuallyEscaping(handler) { handler in
            core.run(request, gradients: false, curvature: settings.curvature, handler: handler)
        }
    }

    /// `[Q, dimension]`: the projected gradient of the measurement (``GradientSettings/measurement``,
    /// averaged over ``GradientSettings/queryDraws`` draws) of every generated sample.
    ///
    /// - Parameters:
    ///   - samples: Generated images `[Q, C, H, W]` in `[-1, 1]`.
    ///   - keys: One key per sample, keying its draws; by default a hash of the sample's
    ///     values, so the same image always gets the same draws.
    public func queryGradients(samples: Tensor, keys: [UInt64]? = nil) throws(GradientError) -> Tensor {
        try checkImages(samples)
        let keys = keys ?? QueryKeys.contentHashes(samples)
        guard keys.count == samples.shape[0] else { throw .keyCount(keys: keys.count, images: samples.shape[0]) }
        let request = MonteCarloGradients.Request(
            images: samples, keys: keys, stream: MonteCarloDraws.Stream.query, drawsPerItem: settings.queryDraws,
            timestepWeights: settings.measurement.timestepWeights(scheduler: scheduler))
        return core.run(request, gradients: true, curvature: nil, handler: nil) ?? Tensor(shape: [0, layout.dimension])
    }

    var core: MonteCarloGradients {
        MonteCarloGradients(model: model, scheduler: scheduler, projection: projection,
                            draws: MonteCarloDraws(seed: settings.drawSeed), maxBatch: settings.maxBatch)
    }

    private func trainingRequest(images: Tensor, ids: [Int64]) throws(GradientError) -> MonteCarloGradients.Request {
        try checkImages(images)
        guard ids.count == images.shape[0] else { throw .keyCount(keys: ids.count, images: images.shape[0]) }
        return MonteCarloGradients.Request(
            images: images, keys: ids.map { UInt64(bitPattern: $0) }, stream: MonteCarloDraws.Stream.training,
            drawsPerItem: settings.drawsPerExample, timestepWeights: nil)
    }

    private func checkImages(_ images: Tensor) throws(GradientError) {
        let shape = images.shape
        guard shape.count == 4 else { throw .imageShape(shape: shape, reason: "expected [N, C, H, W]") }
        guard shape[1] == model.config.inChannels else {
            throw .imageShape(shape: shape, reason: "the model takes \(model.config.inChannels) channels")
        }
        let multiple = model.config.spatialSizeMultiple
        guard shape[2] > 0, shape[3] > 0, shape[2] % multiple == 0, shape[3] % multiple == 0 else {
            throw .imageShape(shape: shape, reason: "height and width must be positive multiples of \(multiple)")
        }
    }
}

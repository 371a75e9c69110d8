/// Everything that decides the numbers the gradient engine produces.
///
/// ``fingerprint`` names the settings stored training vectors and curvature depend on, so a store
/// can refuse to mix vectors made under different settings.
public struct GradientSettings: Sendable, Equatable, Codable {
    /// Projected dimensions per layer (``KroneckerProjection/Dimensions``).
    public var projection: KroneckerProjection.Dimensions
    /// Seed of the projection matrices.
    public var projectionSeed: UInt64
    /// Seed of every Monte-Carlo draw (timesteps, noise, curvature seeds).
    public var drawSeed: UInt64
    /// `K`: `(t, ε)` draws averaged into each training example's loss.
    public var drawsPerExample: Int
    /// `(t, ε)` draws averaged into each query's measurement (the paper uses 250).
    public var queryDraws: Int
    /// What query gradients differentiate.
    public var measurement: QueryMeasurement
    /// Most noised copies (examples × draws) sent through the network at once; bounds memory.
    public var maxBatch: Int
    /// Seeds of the curvature backward pass.
    public var curvature: CurvatureEstimator

    /// Settings with the given values; the defaults project every layer to 8x8 and average
    /// 4 draws per training example and 64 per query.
    public init(projection: KroneckerProjection.Dimensions = .fixed(inputs: 8, outputs: 8), projectionSeed: UInt64 = 0,
                drawSeed: UInt64 = 0, drawsPerExample: Int = 4, queryDraws: Int = 64, measurement: QueryMeasurement = .loss,
                maxBatch: Int = 64, curvature: CurvatureEstimator = .mcGGN) {
        self.projection = projection
        self.projectionSeed = projectionSeed
        self.drawSeed = drawSeed
        self.drawsPerExample = drawsPerExample
        self.queryDraws = queryDraws
        self.measurement = measurement
        self.maxBatch = maxBatch
        self.curvature = curvature
    }

    /// Throws for a count that is not positive.
    public func validate() throws(GradientError) {
        if case .fixed(let inputs, let outputs) = projection, inputs < 1 || outputs < 1 {
            throw .invalidSetting(name: "projection", value: "\(inputs)x\(outputs)", reason: "dimensions must be at least 1")
        }
        for (name, value) in [("drawsPerExample", drawsPerExample), ("queryDraws", queryDraws), ("maxBatch", maxBatch)]
        where value < 1 {
            throw .invalidSetting(name: name, value: "\(value)", reason: "must be at least 1")
        }
    }

    /// A stable name for the settings stored data depends on: the projection, both seeds, the
    /// draws per training example and the curvature seeds (with a version of the draw scheme).
    ///
    /// Query settings (``queryDraws``, ``measurement``) change only query vectors, computed
    /// afresh per query, and ``maxBatch`` changes nothing but rounding, so none is part of it.
    public var fingerprint: String {
        let dimensions = switch projection {
        case .identity: "identity"
        case .fixed(let inputs, let outputs): "\(inputs)x\(outputs)"
        }
        return "gradients-v1 projection=\(dimensions) projection-seed=\(projectionSeed) draw-seed=\(drawSeed) "
            + "draws=\(drawsPerExample) curvature=\(curvature.rawValue)"
    }
}

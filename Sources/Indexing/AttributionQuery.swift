import Attribution
import Numerics

/// Which indexed checkpoints a query is scored at.
public enum CheckpointSelection: Sendable, Equatable {
    /// The newest fully indexed checkpoint.
    case latest
    /// Every indexed checkpoint, scores summed.
    case all
    /// These checkpoints (each must be indexed), scores summed.
    case steps([Int])
}

/// A request to attribute generated samples to the training data.
public struct AttributionQuery: Sendable {
    /// Generated images `[Q, C, H, W]` in [-1, 1].
    public var samples: Tensor
    /// How many examples to return at each end of the ranking.
    public var topK: Int
    /// Where to score.
    public var checkpoints: CheckpointSelection
    /// What the query gradient differentiates.
    public var measurement: QueryMeasurement
    /// Draws averaged into each query gradient (nil: the index settings' default).
    public var queryDraws: Int?
    /// The curvature approximation used to precondition queries.
    public var curvature: Curvature.Mode
    /// Its damping.
    public var damping: Curvature.Damping

    /// A query with the engine's defaults: EK-FAC, standard damping, loss measurement, latest checkpoint.
    public init(samples: Tensor, topK: Int = 10, checkpoints: CheckpointSelection = .latest,
                measurement: QueryMeasurement = .loss, queryDraws: Int? = nil,
                curvature: Curvature.Mode = .ekfac, damping: Curvature.Damping = .standard) {
        self.samples = samples
        self.topK = topK
        self.checkpoints = checkpoints
        self.measurement = measurement
        self.queryDraws = queryDraws
        self.curvature = curvature
        self.damping = damping
    }
}

/// One training example in a ranking, with what the store knows of it.
public struct AttributedExample: Sendable, Equatable, Codable {
    /// The example's id.
    public let id: Int64
    /// Its score `q̃ᵀ(H̃+λI)⁻¹g̃` (summed over the checkpoints used): positive when training on
    /// it lowers the sample's loss.
    public let score: Float
    /// The shard file it came from and its row there.
    public let shard: String
    /// Row within the shard.
    public let row: Int
    /// Its contributor id (-1 when the shard names none) and name, when known.
    public let contributor: Int64
    /// The contributor's display name, if the shard gave one.
    public let contributorName: String?
}

/// A contributor's summed score for one sample.
public struct ContributorScore: Sendable, Equatable, Codable {
    /// The contributor's id.
    public let contributor: Int64
    /// The display name, if known.
    public let name: String?
    /// Sum of the scores of the contributor's examples.
    public let score: Double
    /// How many of the contributor's examples were scored.
    public let examples: Int
}

/// The attribution of one sample.
public struct SampleAttribution: Sendable, Equatable, Codable {
    /// The highest-scoring examples (proponents), best first.
    public let top: [AttributedExample]
    /// The lowest-scoring examples (opponents), lowest first.
    public let bottom: [AttributedExample]
    /// Every contributor's summed score, highest first.
    public let contributors: [ContributorScore]
}

/// The answer to an ``AttributionQuery``.
public struct AttributionResult: Sendable, Equatable, Codable {
    /// The checkpoints scored.
    public let checkpoints: [Int]
    /// Examples scored per sample.
    public let examples: Int
    /// One attribution per sample, in order.
    public let samples: [SampleAttribution]
}

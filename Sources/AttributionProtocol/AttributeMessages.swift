/// Parameters of `attribute` and `attribute_contributors`: samples inline or by path.
public struct AttributeParams: Sendable, Equatable, Codable {
    /// Inline images; exactly one of `samples` and `paths` is given.
    public var samples: SampleTensor?
    /// Absolute paths of PNG or safetensors files the daemon may read.
    public var paths: [String]?
    /// Examples returned at each end of the ranking (default from the daemon's config).
    public var topK: Int?
    /// Where to score (default `latest`).
    public var checkpoints: CheckpointSelector?
    /// The measurement (default `loss`).
    public var measurement: MeasurementName?

    /// Parameters with the given members.
    public init(samples: SampleTensor? = nil, paths: [String]? = nil, topK: Int? = nil,
                checkpoints: CheckpointSelector? = nil, measurement: MeasurementName? = nil) {
        self.samples = samples
        self.paths = paths
        self.topK = topK
        self.checkpoints = checkpoints
        self.measurement = measurement
    }
}

/// A training example in a ranking.
public struct ScoredExample: Sendable, Equatable, Codable {
    /// The example's id.
    public var id: Int64
    /// Its influence on the sample (summed over checkpoints): positive when training on it
    /// lowers the sample's loss.
    public var score: Float
    /// The shard file it came from.
    public var shard: String
    /// Its row in the shard.
    public var row: Int
    /// Its contributor's id (-1 when unknown).
    public var contributor: Int64
    /// The contributor's name, when the shard gave one.
    public var contributorName: String?

    /// An example with these values.
    public init(id: Int64, score: Float, shard: String, row: Int, contributor: Int64, contributorName: String?) {
        self.id = id
        self.score = score
        self.shard = shard
        self.row = row
        self.contributor = contributor
        self.contributorName = contributorName
    }
}

/// A contributor's summed score for one sample.
public struct ContributorTotal: Sendable, Equatable, Codable {
    /// The contributor's id.
    public var contributor: Int64
    /// Its name, when known.
    public var name: String?
    /// The sum of its examples' scores.
    public var score: Double
    /// How many of its examples were scored.
    public var examples: Int

    /// A total with these values.
    public init(contributor: Int64, name: String?, score: Double, examples: Int) {
        self.contributor = contributor
        self.name = name
        self.score = score
        self.examples = examples
    }
}

/// One sample's attribution.
public struct SampleRanking: Sendable, Equatable, Codable {
    /// Highest scores first (proponents).
    public var top: [ScoredExample]
    /// Lowest scores first (opponents).
    public var bottom: [ScoredExample]
    /// Every contributor's total, highest first.
    public var contributors: [ContributorTotal]

    /// A ranking with these lists.
    public init(top: [ScoredExample], bottom: [ScoredExample], contributors: [ContributorTotal]) {
        self.top = top
        self.bottom = bottom
        self.contributors = contributors
    }
}

/// The result of `attribute`.
public struct AttributeResult: Sendable, Equatable, Codable {
    /// The checkpoints scored.
    public var checkpoints: [Int]
    /// Training examples scored per sample.
    public var examplesScored: Int
    /// One ranking per sample, in request order.
    public var samples: [SampleRanking]

    /// A result with these values.
    public init(checkpoints: [Int], examplesScored: Int, samples: [SampleRanking]) {
        self.checkpoints = checkpoints
        self.examplesScored = examplesScored
        self.samples = samples
    }
}

/// One sample's contributor totals.
public struct SampleContributors: Sendable, Equatable, Codable {
    /// Every contributor's total, highest first.
    public var contributors: [ContributorTotal]

    /// Totals for one sample.
    public init(contributors: [ContributorTotal]) { self.contributors = contributors }
}

/// The result of `attribute_contributors`.
public struct AttributeContributorsResult: Sendable, Equatable, Codable {
    /// The checkpoints scored.
    public var checkpoints: [Int]
    /// Training examples scored per sample.
    public var examplesScored: Int
    /// One entry per sample, in request order.
    public var samples: [SampleContributors]

    /// A result with these values.
    public init(checkpoints: [Int], examplesScored: Int, samples: [SampleContributors]) {
        self.checkpoints = checkpoints
        self.examplesScored = examplesScored
        self.samples = samples
    }
}

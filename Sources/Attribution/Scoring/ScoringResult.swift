/// One training example's score for one query.
public struct ScoredExample: Sendable, Hashable {
    /// The training example's id.
    public let id: Int64
    /// Its score `q̃ᵀ g̃` (summed over checkpoints in a summed session).
    public let score: Float

    /// Pairs an id with its score.
    public init(id: Int64, score: Float) {
        self.id = id
        self.score = score
    }
}

/// The most positive and most negative examples for one query.
///
/// `top` is sorted by score descending, `bottom` by score ascending; within equal scores both
/// list the smaller id first, so rankings are deterministic. Each holds `min(k, examples)`
/// entries; examples whose score is NaN are never ranked.
public struct QueryRanking: Sendable, Equatable {
    /// The `k` highest-scoring examples, best first.
    public let top: [ScoredExample]
    /// The `k` lowest-scoring examples, lowest first.
    public let bottom: [ScoredExample]

    /// Wraps the two sorted lists.
    public init(top: [ScoredExample], bottom: [ScoredExample]) {
        self.top = top
        self.bottom = bottom
    }
}

/// The summed score of one group of examples (e.g. one contributor) for one query.
public struct GroupScore: Sendable, Equatable {
    /// The group's id, as given in ``ExampleGroups``.
    public let group: Int64
    /// Sum of the group's example scores, accumulated in double precision.
    public let score: Double
    /// How many of the group's examples were scored.
    public let examples: Int

    /// Creates a group total.
    public init(group: Int64, score: Double, examples: Int) {
        self.group = group
        self.score = score
        self.examples = examples
    }
}

/// What a scoring session found, per query in query order.
public struct ScoringResult: Sendable, Equatable {
    /// Top-k and bottom-k examples of each query.
    public let rankings: [QueryRanking]
    /// Per query, every group with at least one scored example, sorted by score descending
    /// (ties: smaller group id first); `nil` when the session was given no groups.
    public let groupScores: [[GroupScore]]?
    /// Number of examples that were ranked (per query; the same for every query).
    public let examples: Int

    /// Bundles a session's outputs.
    public init(rankings: [QueryRanking], groupScores: [[GroupScore]]?, examples: Int) {
        self.rankings = rankings
        self.groupScores = groupScores
        self.examples = examples
    }
}

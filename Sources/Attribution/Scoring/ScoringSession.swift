import Numerics

/// Scores the stored gradients of one checkpoint against a batch of preconditioned queries,
/// streaming: blocks are consumed one at a time and only per-query top-k and bottom-k heaps
/// (and optional group sums) are kept, so memory does not grow with the number of examples.
///
/// `score(q, i) = q̃ᵀ g̃_i`. Each block costs one BLAS product (one per lane, see
/// ``ScoringParallelism``) plus O(rows · Q · log k) heap work on the calling thread, most rows
/// skipping the heaps on a threshold comparison. Example ids are expected to be unique
/// within the checkpoint (a repeated id would be ranked twice). Not thread-safe: one compute lane
/// drives a session.
public struct ScoringSession {
    /// The preconditioned queries, `[Q × dimension]`.
    public let queries: Tensor
    /// How many examples each query keeps at each end.
    public let k: Int
    /// Number of examples consumed so far.
    public private(set) var examples = 0

    private var scorer: BlockScorer
    private var selection: RankingSelection
    private var groupSums: GroupScoreAccumulator?

    /// Starts a session for `queries` (`[Q × dimension]`), keeping `k` examples per query at
    /// each end, and summing scores per group when `groups` is given.
    public init(
        queries: Tensor, k: Int, groups: ExampleGroups? = nil, parallelism: ScoringParallelism = .blasThreads
    ) throws(ScoringError) {
        guard queries.rank == 2, queries.shape[0] >= 1, queries.shape[1] >= 1 else {
            throw .invalidQueries(shape: queries.shape)
        }
        guard k >= 0 else { throw .invalidK(k) }
        self.queries = queries
        self.k = k
        selection = RankingSelection(queries: queries.shape[0], k: k)
        scorer = BlockScorer(parallelism: parallelism)
        groupSums = groups.map { GroupScoreAccumulator(groups: $0, queries: queries.shape[0]) }
    }

    /// Number of queries.
    public var queryCount: Int { queries.shape[0] }

    /// Gradient dimension the blocks must have.
    public var dimension: Int { queries.shape[1] }

    /// Scores every example of `block` and updates the rankings and group sums. The block's
    /// memory is read during this call only.
    public mutating func consume(_ block: GradientBlockView) throws(ScoringError) {
        guard block.dimension == dimension else { throw .dimensionMismatch(block: block.dimension, queries: dimension) }
        guard block.rows > 0 else { return }
        scorer.score(block, queries: queries)
        let queryCount = queryCount
        scorer.scores.withUnsafeBufferPointer { scores in
            for row in 0..<block.rows {
                let rowScores = scores.baseAddress! + row * queryCount
                selection.offer(id: block.ids[row], scores: rowScores)
                groupSums?.add(id: block.ids[row], scores: rowScores)
            }
        }
        examples += block.rows
    }

    /// The rankings (and group sums) over every block consumed so far.
    public func finish() -> ScoringResult {
        ScoringResult(rankings: selection.rankings(), groupScores: groupSums?.results(), examples: examples)
    }
}

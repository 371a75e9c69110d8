import Numerics

/// Scores summed over several checkpoints: `score(q, i) = Σ_c w_c · q̃_cᵀ g̃_{c,i}`, where each
/// checkpoint c brings its own preconditioned queries q̃_c (the query gradient taken at that
/// checkpoint) and an optional weight w_c (e.g. the learning rate, as in TracIn).
///
/// Examples missing from some checkpoints are handled by ``MissingExamplePolicy``. Unlike
/// ``ScoringSession`` this keeps one running sum per (example, query), `4 · examples · Q`
/// bytes, and selects the top and bottom k in ``finish()``. Example ids are mapped to dense
/// slots as they first appear, with a fast path for checkpoints that list examples in the same
/// order. After a thrown error the session's sums are unspecified: discard it.
public struct CheckpointSumSession {
    /// What an example absent from some checkpoints scores.
    public enum MissingExamplePolicy: Sendable, Equatable {
        /// Its sum covers the checkpoints that hold it: a missing checkpoint adds 0.
        case countAsZero
        /// It is ranked (and counted in group sums) only if every checkpoint held it.
        case requireEveryCheckpoint
    }

    /// Number of queries every checkpoint brings.
    public let queryCount: Int
    /// How many examples each query keeps at each end.
    public let k: Int
    /// How examples absent from some checkpoints are treated.
    public let missingExamples: MissingExamplePolicy
    /// Checkpoints begun so far.
    public private(set) var checkpoints = 0

    private let groups: ExampleGroups?
    private var queries: Tensor?
    private var weight: Float = 1
    private var scorer: BlockScorer
    private var slots = ExampleSlots()
    private var sums: [Float] = []            // [slots × queryCount]
    private var presence: [Int32] = []        // checkpoints holding each slot
    private var lastCheckpoint: [Int32] = []  // last checkpoint that held each slot
    private var rowSlots: [Int] = []

    /// Starts an empty sum for `queryCount` queries, keeping `k` examples per query at each end.
    public init(
        queryCount: Int, k: Int, missingExamples: MissingExamplePolicy = .countAsZero, groups: ExampleGroups? = nil,
        parallelism: ScoringParallelism = .blasThreads
    ) throws(ScoringError) {
        guard queryCount >= 1 else { throw .invalidQueries(shape: [queryCount]) }
        guard k >= 0 else { throw .invalidK(k) }
        self.queryCount = queryCount
        self.k = k
        self.missingExamples = missingExamples
        self.groups = groups
        scorer = BlockScorer(parallelism: parallelism)
    }

    /// Starts the next checkpoint: its blocks will be scored against `queries`
    /// (`[queryCount × dimension]`) and the scores multiplied by `weight` before summing.
    public mutating func beginCheckpoint(queries: Tensor, weight: Float = 1) throws(ScoringError) {
        guard queries.rank == 2, queries.shape[1] >= 1 else { throw .invalidQueries(shape: queries.shape) }
        guard queries.shape[0] == queryCount else {
            throw .queryCountMismatch(expected: queryCount, actual: queries.shape[0])
        }
        self.queries = queries
        self.weight = weight
        checkpoints += 1
    }

    /// Adds the current checkpoint's scores of every example in `block` to their sums.
    public mutating func consume(_ block: GradientBlockView) throws(ScoringError) {
        guard let queries else { preconditionFailure("consume(_:) before beginCheckpoint(queries:weight:)") }
        guard block.dimension == queries.shape[1] else {
            throw .dimensionMismatch(block: block.dimension, queries: queries.shape[1])
        }
        guard block.rows > 0 else { return }
        try assignSlots(block.ids)
        scorer.score(block, queries: queries, alpha: weight)
        let scores = scorer.scores
        let queryCount = queryCount
        scores.withUnsafeBufferPointer { scores in
            sums.withUnsafeMutableBufferPointer { sums in
                for row in 0..<block.rows {
                    let target = sums.baseAddress! + rowSlots[row] * queryCount
                    let source = scores.baseAddress! + row * queryCount
                    for query in 0..<queryCount { target[query] += source[query] }
                }
            }
        }
    }

    /// Finds (or creates) each row's slot and records the current checkpoint's presence.
    private mutating func assignSlots(_ ids: UnsafeBufferPointer<Int64>) throws(ScoringError) {
        let checkpoint = Int32(checkpoints)
        rowSlots.removeAll(keepingCapacity: true)
        for id in ids {
            let (slot, isNew) = slots.slot(for: id)
            if isNew {
                sums.append(contentsOf: repeatElement(0, count: queryCount))
                presence.append(0)
                lastCheckpoint.append(0)
            }
            guard lastCheckpoint[slot] != checkpoint else { throw .duplicateExample(id: id, checkpoint: checkpoints) }
            lastCheckpoint[slot] = checkpoint
            presence[slot] += 1
            rowSlots.append(slot)
        }
    }

    /// Ranks every example by its summed score (and sums the groups), per query.
    public func finish() -> ScoringResult {
        var selection = RankingSelection(queries: queryCount, k: k)
        var groupSums = groups.map { GroupScoreAccumulator(groups: $0, queries: queryCount) }
        var ranked = 0
        sums.withUnsafeBufferPointer { sums in
            for slot in 0..<slots.count {
                if missingExamples == .requireEveryCheckpoint && Int(presence[slot]) < checkpoints { continue }
                let rowSums = sums.baseAddress! + slot * queryCount
                selection.offer(id: slots.ids[slot], scores: rowSums)
                groupSums?.add(id: slots.ids[slot], scores: rowSums)
                ranked += 1
            }
        }
        return ScoringResult(rankings: selection.rankings(), groupScores: groupSums?.results(), examples: ranked)
    }
}

/// The `capacity` best (score, id) pairs offered so far, where a pair ranks before another when
/// its score is higher or, between equal scores, its id is smaller.
///
/// A binary heap whose root is the worst kept pair: offering costs O(log capacity), and once
/// full, ``threshold`` lets callers skip a score without a call (a score below it cannot enter).
/// Bottom-k selection uses a second heap fed with negated scores.
struct BoundedRankingHeap {
    let capacity: Int
    private var scores: [Float] = []
    private var ids: [Int64] = []
    /// Scores strictly below this cannot enter: the root's score once full, −∞ before (+∞ when
    /// the capacity is 0). A NaN fails `score >= threshold`, so the fast path also drops NaNs.
    private(set) var threshold: Float

    init(capacity: Int) {
        precondition(capacity >= 0, "heap capacity must not be negative")
        self.capacity = capacity
        threshold = capacity == 0 ? .infinity : -.infinity
        scores.reserveCapacity(capacity)
        ids.reserveCapacity(capacity)
    }

    /// Keeps (score, id) if it ranks among the best `capacity` pairs so far. NaN is never kept.
    mutating func offer(score: Float, id: Int64) {
        guard capacity > 0, !score.isNaN else { return }
        if scores.count < capacity {
            scores.append(score)
            ids.append(id)
            siftUp(from: scores.count - 1)
            if scores.count == capacity { threshold = scores[0] }
        } else if Self.ranksBefore(score, id, scores[0], ids[0]) {
            scores[0] = score
            ids[0] = id
            siftDown(from: 0)
            threshold = scores[0]
        }
    }

    /// The kept pairs, best first.
    func sorted(negatingScores: Bool = false) -> [ScoredExample] {
        zip(scores, ids)
            .sorted { Self.ranksBefore($0.0, $0.1, $1.0, $1.1) }
            .map { ScoredExample(id: $0.1, score: negatingScores ? -$0.0 : $0.0) }
    }

    @inline(__always)
    static func ranksBefore(_ score: Float, _ id: Int64, _ otherScore: Float, _ otherID: Int64) -> Bool {
        score > otherScore || (score == otherScore && id < otherID)
    }

    /// Whether slot `a` holds a worse pair than slot `b` (min-heap order on rank).
    @inline(__always)
    private func worse(_ a: Int, _ b: Int) -> Bool {
        Self.ranksBefore(scores[b], ids[b], scores[a], ids[a])
    }

    private mutating func siftUp(from start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard worse(child, parent) else { return }
            swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(from start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < scores.count else { return }
            let right = left + 1
            let worstChild = right < scores.count && worse(right, left) ? right : left
            guard worse(worstChild, parent) else { return }
            swapAt(worstChild, parent)
            parent = worstChild
        }
    }

    private mutating func swapAt(_ a: Int, _ b: Int) {
        scores.swapAt(a, b)
        ids.swapAt(a, b)
    }
}

/// Per-query top-k and bottom-k heaps, fed with score rows laid out `[rows × queries]`.
struct RankingSelection {
    private var top: [BoundedRankingHeap]
    private var bottom: [BoundedRankingHeap]

    init(queries: Int, k: Int) {
        top = Array(repeating: BoundedRankingHeap(capacity: k), count: queries)
        bottom = top
    }

    /// Offers one example's scores for every query (`scores[q]` for query q).
    @inline(__always)
    mutating func offer(id: Int64, scores: UnsafePointer<Float>) {
        for query in top.indices {
            let score = scores[query]
            if score >= top[query].threshold { top[query].offer(score: score, id: id) }
            if -score >= bottom[query].threshold { bottom[query].offer(score: -score, id: id) }
        }
    }

    /// Each query's sorted top and bottom lists.
    func rankings() -> [QueryRanking] {
        zip(top, bottom).map { QueryRanking(top: $0.sorted(), bottom: $1.sorted(negatingScores: true)) }
    }
}

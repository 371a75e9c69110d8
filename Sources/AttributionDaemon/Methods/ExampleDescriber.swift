import AttributionProtocol
import AttributionStore
import LMDB

/// Describes stored (id, score) pairs as ranked examples by looking each id up in the store,
/// remembering what it read (a probe's history repeats the same examples from step to step).
struct ExampleDescriber {
    private struct Known {
        let shard: String
        let row: Int
        let contributor: Int64
        let contributorName: String?
    }

    let store: AttributionStore
    private var known: [Int64: Known] = [:]
    private var shardNames: [UInt32: String] = [:]

    /// A describer reading `store`.
    init(store: AttributionStore) {
        self.store = store
    }

    /// `entry` with its shard, row and contributor (shard "?" and contributor -1 when the store
    /// does not know the id).
    mutating func describe<A>(_ entry: ProbeRankingCodec.Entry, in transaction: borrowing Transaction<A>) throws -> ScoredExample {
        let details = try lookUp(entry.id, in: transaction)
        return ScoredExample(id: entry.id, score: entry.score, shard: details.shard, row: details.row, contributor: details.contributor,
                             contributorName: details.contributorName)
    }

    private mutating func lookUp<A>(_ id: Int64, in transaction: borrowing Transaction<A>) throws -> Known {
        if let details = known[id] { return details }
        let details: Known
        if let example = try store.example(id: id, in: transaction) {
            let shard = try shardNames[example.shard] ?? store.shard(ordinal: example.shard, in: transaction)?.fileName ?? "?"
            shardNames[example.shard] = shard
            details = Known(shard: shard, row: Int(example.row), contributor: example.contributor,
                            contributorName: try store.contributor(id: example.contributor, in: transaction)?.name)
        } else {
            details = Known(shard: "?", row: 0, contributor: -1, contributorName: nil)
        }
        known[id] = details
        return details
    }
}

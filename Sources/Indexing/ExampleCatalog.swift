import Attribution
import AttributionStore
import LMDB

/// The store's examples, shards and contributors, read in one transaction to describe ranked ids
/// and to group examples by contributor.
///
/// Reading every example record costs a scan of the whole table (100k records at scale), so a
/// caller answering many queries keeps a catalog and reads a new one only when its ``Version``
/// changes: examples are registered only with accepted shards, and an accepted shard's examples
/// never change, so the accepted shards and their example counts identify the contents.
public struct ExampleCatalog: Sendable {
    /// What a catalog is read from: (ordinal, example count) of every accepted shard.
    public struct Version: Sendable, Equatable {
        let acceptedShards: [ShardCount]

        /// The version of `store` as `transaction` sees it.
        public init<A>(store: AttributionStore, in transaction: borrowing Transaction<A>) throws {
            self.init(shards: try store.shards(in: transaction))
        }

        init(shards: [ShardRecord]) {
            acceptedShards = shards.compactMap { shard in
                shard.status == .accepted ? ShardCount(ordinal: shard.ordinal, examples: shard.exampleCount) : nil
            }
        }
    }

    /// One accepted shard's ordinal and example count.
    struct ShardCount: Sendable, Equatable {
        let ordinal: UInt32
        let examples: UInt64
    }

    /// The contents' version.
    public let version: Version
    /// Training examples grouped by contributor (examples without one are not grouped).
    public let groups: ExampleGroups
    private let examples: [Int64: ExampleRecord]
    private let shardNames: [UInt32: String]
    private let contributorNames: [Int64: String]

    /// Reads the catalog of `store` in `transaction`.
    public init<A>(store: AttributionStore, in transaction: borrowing Transaction<A>) throws {
        let shards = try store.shards(in: transaction)
        version = Version(shards: shards)
        // Only accepted shards register examples, so one scan of the examples suffices.
        examples = Dictionary(try store.examples(in: transaction).map { ($0.id, $0) }) { first, _ in first }
        shardNames = Dictionary(shards.map { ($0.ordinal, $0.fileName) }) { first, _ in first }
        contributorNames = Dictionary(try store.contributors(in: transaction).map { ($0.id, $0.name) }) { first, _ in first }
        groups = ExampleGroups(groupOfExample: examples.compactMapValues { $0.contributor >= 0 ? $0.contributor : nil })
    }

    /// A ranked example with what the store knows of it (shard "?" and contributor -1 when the
    /// catalog does not know the id).
    public func describe(_ scored: ScoredExample) -> AttributedExample {
        let record = examples[scored.id]
        let contributor = record?.contributor ?? -1
        return AttributedExample(
            id: scored.id, score: scored.score, shard: record.flatMap { shardNames[$0.shard] } ?? "?", row: Int(record?.row ?? 0),
            contributor: contributor, contributorName: contributorNames[contributor])
    }

    /// A contributor's total with its name.
    public func describe(_ group: GroupScore) -> ContributorScore {
        ContributorScore(contributor: group.group, name: contributorNames[group.group], score: group.score, examples: group.examples)
    }

    /// `result`, scored at `checkpoints`, with every ranked example and contributor described.
    public func describe(_ result: ScoringResult, checkpoints: [Int]) -> AttributionResult {
        AttributionResult(checkpoints: checkpoints, examples: result.examples, samples: result.rankings.indices.map { index in
            SampleAttribution(
                top: result.rankings[index].top.map(describe), bottom: result.rankings[index].bottom.map(describe),
                contributors: (result.groupScores?[index] ?? []).map(describe))
        })
    }
}

import Attribution
import AttributionStore

/// The store's examples, shards and contributors, read once per query to describe ranked ids
/// and to group examples by contributor.
struct ExampleCatalog {
    let groups: ExampleGroups
    private let examples: [Int64: ExampleRecord]
    private let shardNames: [UInt32: String]
    private let contributorNames: [Int64: String]

    init(store: AttributionStore) throws {
        (examples, shardNames, contributorNames) = try store.read { transaction in
            let shards = try store.shards(in: transaction)
            // Only accepted shards register examples, so one scan of the examples suffices.
            let examples = Dictionary(try store.examples(in: transaction).map { ($0.id, $0) }) { first, _ in first }
            let names = Dictionary(uniqueKeysWithValues: shards.map { ($0.ordinal, $0.fileName) })
            let contributors = Dictionary(try store.contributors(in: transaction).map { ($0.id, $0.name) }) { first, _ in first }
            return (examples, names, contributors)
        }
        groups = ExampleGroups(groupOfExample: examples.compactMapValues { $0.contributor >= 0 ? $0.contributor : nil })
    }

    func describe(_ scored: ScoredExample) -> AttributedExample {
        let record = examples[scored.id]
        let contributor = record?.contributor ?? -1
        return AttributedExample(
            id: scored.id, score: scored.score, shard: record.flatMap { shardNames[$0.shard] } ?? "?", row: Int(record?.row ?? 0),
            contributor: contributor, contributorName: contributorNames[contributor])
    }

    func describe(_ group: GroupScore) -> ContributorScore {
        ContributorScore(contributor: group.group, name: contributorNames[group.group], score: group.score, examples: group.examples)
    }
}

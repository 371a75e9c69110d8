@testable import Attribution
import Numerics
import Testing

@Suite struct ScoringGroupTests {
    /// Ids 100... grouped by `id % 4` (groups 10...13), except ids divisible by 5, which have none.
    static func groups(for ids: some Sequence<Int64>) -> [Int64: Int64] {
        Dictionary(uniqueKeysWithValues: ids.filter { $0 % 5 != 0 }.map { ($0, 10 + $0 % 4) })
    }

    static func reference(_ sums: [Int64: Double], groupOf: [Int64: Int64]) -> [GroupScore] {
        var totals: [Int64: (score: Double, examples: Int)] = [:]
        for (id, score) in sums {
            guard let group = groupOf[id] else { continue }
            totals[group, default: (0, 0)].score += score
            totals[group, default: (0, 0)].examples += 1
        }
        return totals.map { GroupScore(group: $0.key, score: $0.value.score, examples: $0.value.examples) }
            .sorted { $0.score > $1.score || ($0.score == $1.score && $0.group < $1.group) }
    }

    @Test(arguments: [1, 3])
    func singleCheckpointGroupSumsMatchBruteForce(queryCount: Int) throws {
        let dimension = 4
        let blocks = ScoringFixtures.blocks(sizes: [9, 13, 0, 7], dimension: dimension, seed: 20)
        let groupOf = Self.groups(for: blocks.flatMap(\.ids))
        let queries = Tensor(shape: [queryCount, dimension], scalars: ScoringFixtures.integers(count: queryCount * dimension, seed: 21))
        var session = try ScoringSession(queries: queries, k: 2, groups: ExampleGroups(groupOfExample: groupOf))
        for block in blocks { try block.withView(.float32) { try session.consume($0) } }
        let result = session.finish()
        let groupScores = try #require(result.groupScores)
        for query in 0..<queryCount {
            let sums = ScoringFixtures.scores(blocks, query: ScoringFixtures.row(queries, query))
            let expected = Self.reference(Dictionary(uniqueKeysWithValues: sums.map { ($0.id, Double($0.score)) }), groupOf: groupOf)
            #expect(groupScores[query] == expected, "query \(query)")
            #expect(expected.count == 4)
        }
    }

    @Test func summedGroupSumsFollowTheMissingExamplePolicy() throws {
        let checkpoints = ScoringCheckpointSumTests.checkpoints(queryCount: 2)
        let reference = ScoringCheckpointSumTests.bruteForce(checkpoints, queryCount: 2)
        let groupOf = Self.groups(for: reference.presence.keys)
        for policy in [CheckpointSumSession.MissingExamplePolicy.countAsZero, .requireEveryCheckpoint] {
            let result = try ScoringCheckpointSumTests.run(
                checkpoints, queryCount: 2, k: 1, policy: policy, groups: ExampleGroups(groupOfExample: groupOf))
            let groupScores = try #require(result.groupScores)
            for query in 0..<2 {
                let included = reference.sums[query].filter { policy == .countAsZero || reference.presence[$0.key] == 3 }
                let expected = Self.reference(included.mapValues(Double.init), groupOf: groupOf)
                #expect(groupScores[query] == expected, "\(policy), query \(query)")
            }
        }
    }
}

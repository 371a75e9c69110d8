@testable import Attribution
import Numerics
import Testing

@Suite struct ScoringCheckpointSumTests {
    /// One checkpoint of a fixture: its blocks, queries and weight.
    struct Checkpoint {
        var blocks: [ScoringFixtureBlock]
        var queries: Tensor
        var weight: Float
    }

    static let dimension = 6

    /// Three checkpoints over overlapping id sets, in different orders and block sizes; powers
    /// of two as weights keep every sum exact.
    static func checkpoints(queryCount: Int) -> [Checkpoint] {
        let idSets: [[Int64]] = [
            Array(100..<130),
            Array((100..<130).reversed().filter { $0 != 105 && $0 != 106 }) + Array(500..<506),
            [503, 501] + Array(stride(from: 129, through: 100, by: -2)) + Array(stride(from: 100, to: 130, by: 2)),
        ]
        let splits = [[12, 18], [20, 0, 14], [5, 26, 1]]
        return idSets.indices.map { checkpoint in
            var remaining = idSets[checkpoint][...]
            let blocks = splits[checkpoint].enumerated().map { index, rows in
                let ids = Array(remaining.prefix(rows))
                remaining = remaining.dropFirst(rows)
                let seed = UInt64(checkpoint * 10 + index)
                return ScoringFixtureBlock(ids: ids, values: ScoringFixtures.integers(count: ids.count * dimension, seed: seed),
                                           dimension: dimension)
            }
            let queries = Tensor(shape: [queryCount, dimension],
                                 scalars: ScoringFixtures.integers(count: queryCount * dimension, seed: 90 + UInt64(checkpoint)))
            return Checkpoint(blocks: blocks, queries: queries, weight: [1, 0.5, 2][checkpoint])
        }
    }

    /// Per query, every id's weighted sum over the checkpoints holding it, and how many did.
    static func bruteForce(_ checkpoints: [Checkpoint], queryCount: Int) -> (sums: [[Int64: Float]], presence: [Int64: Int]) {
        var sums = [[Int64: Float]](repeating: [:], count: queryCount)
        var presence: [Int64: Int] = [:]
        for checkpoint in checkpoints {
            for query in 0..<queryCount {
                for entry in ScoringFixtures.scores(checkpoint.blocks, query: ScoringFixtures.row(checkpoint.queries, query)) {
                    sums[query][entry.id, default: 0] += checkpoint.weight * entry.score
                }
            }
            for block in checkpoint.blocks { for id in block.ids { presence[id, default: 0] += 1 } }
        }
        return (sums, presence)
    }

    static func run(
        _ checkpoints: [Checkpoint], queryCount: Int, k: Int, policy: CheckpointSumSession.MissingExamplePolicy,
        groups: ExampleGroups? = nil, precision: GradientBlockView.Precision = .float32,
        parallelism: ScoringParallelism = .blasThreads
    ) throws -> ScoringResult {
        var session = try CheckpointSumSession(
            queryCount: queryCount, k: k, missingExamples: policy, groups: groups, parallelism: parallelism)
        for checkpoint in checkpoints {
            try session.beginCheckpoint(queries: checkpoint.queries, weight: checkpoint.weight)
            for block in checkpoint.blocks { try block.withView(precision) { try session.consume($0) } }
        }
        return session.finish()
    }

    @Test(arguments: [1, 3])
    func sumsMissingExamplesAsZero(queryCount: Int) throws {
        let checkpoints = Self.checkpoints(queryCount: queryCount)
        let result = try Self.run(checkpoints, queryCount: queryCount, k: 7, policy: .countAsZero)
        let reference = Self.bruteForce(checkpoints, queryCount: queryCount)
        #expect(result.examples == 36)
        for query in 0..<queryCount {
            let scores = reference.sums[query].map { ScoredExample(id: $0.key, score: $0.value) }
            #expect(result.rankings[query] == ScoringFixtures.ranking(scores, k: 7), "query \(query)")
        }
    }

    @Test func requiringEveryCheckpointRanksOnlyExamplesHeldByAll() throws {
        let checkpoints = Self.checkpoints(queryCount: 2)
        let result = try Self.run(
            checkpoints, queryCount: 2, k: 40, policy: .requireEveryCheckpoint, precision: .float16, parallelism: .lanes(2))
        let reference = Self.bruteForce(checkpoints, queryCount: 2)
        let complete = Set(reference.presence.filter { $0.value == 3 }.keys)
        #expect(result.examples == complete.count)
        for query in 0..<2 {
            let scores = reference.sums[query].filter { complete.contains($0.key) }.map { ScoredExample(id: $0.key, score: $0.value) }
            #expect(result.rankings[query] == ScoringFixtures.ranking(scores, k: 40), "query \(query)")
        }
    }

    @Test func aRepeatedIDWithinOneCheckpointIsRefused() throws {
        var session = try CheckpointSumSession(queryCount: 1, k: 2)
        try session.beginCheckpoint(queries: Tensor(shape: [1, 1], scalars: [1]))
        let block = ScoringFixtureBlock(ids: [4, 5], values: [1, 2], dimension: 1)
        try block.withView(.float32) { try session.consume($0) }
        #expect(throws: ScoringError.duplicateExample(id: 5, checkpoint: 1)) {
            try ScoringFixtureBlock(ids: [6, 5], values: [1, 2], dimension: 1).withView(.float32) { try session.consume($0) }
        }
    }

    @Test func checkpointQueriesMustKeepTheQueryCount() throws {
        var session = try CheckpointSumSession(queryCount: 2, k: 1)
        #expect(throws: ScoringError.queryCountMismatch(expected: 2, actual: 1)) {
            try session.beginCheckpoint(queries: Tensor(shape: [1, 4]))
        }
        #expect(throws: ScoringError.invalidK(-3)) { try CheckpointSumSession(queryCount: 1, k: -3) }
        #expect(throws: ScoringError.invalidQueries(shape: [0])) { try CheckpointSumSession(queryCount: 0, k: 1) }
    }
}

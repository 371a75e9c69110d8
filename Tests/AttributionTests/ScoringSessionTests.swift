@testable import Attribution
import Numerics
import Testing

@Suite struct ScoringSessionTests {
    private func run(
        _ blocks: [ScoringFixtureBlock], queries: Tensor, k: Int, precision: GradientBlockView.Precision = .float32,
        misalignment: Int = 0, parallelism: ScoringParallelism = .blasThreads
    ) throws -> ScoringResult {
        var session = try ScoringSession(queries: queries, k: k, parallelism: parallelism)
        for block in blocks { try block.withView(precision, misalignment: misalignment) { try session.consume($0) } }
        return session.finish()
    }

    private func expectBruteForce(_ result: ScoringResult, _ blocks: [ScoringFixtureBlock], queries: Tensor, k: Int) {
        #expect(result.rankings.count == queries.shape[0])
        for query in 0..<queries.shape[0] {
            let reference = ScoringFixtures.ranking(
                ScoringFixtures.scores(blocks, query: ScoringFixtures.row(queries, query)), k: k)
            #expect(result.rankings[query] == reference, "query \(query)")
        }
    }

    @Test(arguments: [1, 3, 8], [ScoringParallelism.blasThreads, .lanes(3)])
    func rankingsMatchBruteForceIncludingTies(queryCount: Int, parallelism: ScoringParallelism) throws {
        let dimension = 5
        let blocks = ScoringFixtures.blocks(sizes: [10, 0, 16, 11], dimension: dimension, seed: 1)
        let queries = Tensor(shape: [queryCount, dimension],
                             scalars: ScoringFixtures.integers(count: queryCount * dimension, seed: 2))
        let result = try run(blocks, queries: queries, k: 4, parallelism: parallelism)
        expectBruteForce(result, blocks, queries: queries, k: 4)
        #expect(result.examples == 37)
        #expect(result.groupScores == nil)
        // Integer data over 5 dimensions with 37 examples must produce tied scores, else the
        // tie-breaking would go untested.
        let scores = ScoringFixtures.scores(blocks, query: ScoringFixtures.row(queries, 0)).map(\.score)
        #expect(Set(scores).count < scores.count)
    }

    @Test func tiesAreBrokenBySmallerIDFirstAtBothEnds() throws {
        // Ids given in descending order, all with the same gradient: only the id decides.
        let block = ScoringFixtureBlock(ids: [9, 7, 5, 3], values: [1, 1, 1, 1], dimension: 1)
        let result = try run([block], queries: Tensor(shape: [1, 1], scalars: [2]), k: 2)
        #expect(result.rankings[0].top.map(\.id) == [3, 5])
        #expect(result.rankings[0].bottom.map(\.id) == [3, 5])
    }

    @Test func kLargerThanTheExampleCountReturnsEveryExample() throws {
        let blocks = ScoringFixtures.blocks(sizes: [3, 4], dimension: 3, seed: 3)
        let queries = Tensor(shape: [2, 3], scalars: ScoringFixtures.integers(count: 6, seed: 4))
        let result = try run(blocks, queries: queries, k: 50)
        expectBruteForce(result, blocks, queries: queries, k: 50)
        #expect(result.rankings.allSatisfy { $0.top.count == 7 && $0.bottom.count == 7 })
    }

    @Test func kZeroAndEmptyBlocksGiveEmptyRankings() throws {
        let blocks = ScoringFixtures.blocks(sizes: [5], dimension: 2, seed: 5)
        let queries = Tensor(shape: [2, 2], scalars: [1, 0, 0, 1])
        let none = try run(blocks, queries: queries, k: 0)
        #expect(none.rankings == Array(repeating: QueryRanking(top: [], bottom: []), count: 2))
        let empty = try run(ScoringFixtures.blocks(sizes: [0, 0], dimension: 2, seed: 6), queries: queries, k: 3)
        #expect(empty.examples == 0)
        #expect(empty.rankings == Array(repeating: QueryRanking(top: [], bottom: []), count: 2))
    }

    @Test(arguments: [1, 4], [ScoringParallelism.blasThreads, .lanes(2)])
    func float16BlocksMatchFloat32WithinHalfRounding(queryCount: Int, parallelism: ScoringParallelism) throws {
        let dimension = 40
        var generator = SeededGenerator(keys: 7)
        let blocks = [30, 25].enumerated().map { index, rows in
            ScoringFixtureBlock(ids: (0..<Int64(rows)).map { Int64(index * 1000) + $0 },
                                values: generator.normals(count: rows * dimension), dimension: dimension)
        }
        let queries = Tensor(shape: [queryCount, dimension], scalars: generator.normals(count: queryCount * dimension))
        let half = try run(blocks, queries: queries, k: 55, precision: .float16, parallelism: parallelism)
        let rounded = try run(blocks.map(\.roundedToHalf), queries: queries, k: 55)
        for queryIndex in 0..<queryCount {
            let query = ScoringFixtures.row(queries, queryIndex)
            let exact = Dictionary(uniqueKeysWithValues: ScoringFixtures.scores(blocks, query: query).map { ($0.id, $0.score) })
            // Rounding each value to binary16 moves it by at most 2⁻¹¹ of itself.
            let absolute = blocks.map { ScoringFixtureBlock(ids: $0.ids, values: $0.values.map(abs), dimension: dimension) }
            let bounds = Dictionary(uniqueKeysWithValues: ScoringFixtures.scores(absolute, query: ArraySlice(query.map(abs)))
                .map { ($0.id, $0.score * 0x1p-11 + 1e-4) })
            #expect(half.rankings[queryIndex].top.count == 55)
            for entry in half.rankings[queryIndex].top {
                let reference = try #require(exact[entry.id])
                #expect(abs(entry.score - reference) <= bounds[entry.id] ?? 0, "id \(entry.id)")
            }
            // Against the same values decoded to Float32, only GEMM rounding remains.
            let decoded = Dictionary(uniqueKeysWithValues: rounded.rankings[queryIndex].top.map { ($0.id, $0.score) })
            for entry in half.rankings[queryIndex].top {
                #expect(abs(entry.score - (decoded[entry.id] ?? .nan)) <= 1e-4, "id \(entry.id)")
            }
        }
    }

    @Test(arguments: [ScoringParallelism.blasThreads, .lanes(2)])
    func unalignedFloat32BlocksAreStagedWithTheSameResult(parallelism: ScoringParallelism) throws {
        let blocks = ScoringFixtures.blocks(sizes: [6, 9], dimension: 4, seed: 8)
        let queries = Tensor(shape: [3, 4], scalars: ScoringFixtures.integers(count: 12, seed: 9))
        let result = try run(blocks, queries: queries, k: 5, misalignment: 2, parallelism: parallelism)
        expectBruteForce(result, blocks, queries: queries, k: 5)
    }

    @Test func nanScoresAreNeverRanked() throws {
        let block = ScoringFixtureBlock(ids: [1, 2, 3], values: [1, .nan, -1], dimension: 1)
        let result = try run([block], queries: Tensor(shape: [1, 1], scalars: [1]), k: 3)
        #expect(result.rankings[0].top == [ScoredExample(id: 1, score: 1), ScoredExample(id: 3, score: -1)])
        #expect(result.rankings[0].bottom == [ScoredExample(id: 3, score: -1), ScoredExample(id: 1, score: 1)])
    }

    @Test func malformedInputIsRefusedWithATypedError() throws {
        #expect(throws: ScoringError.invalidK(-1)) { try ScoringSession(queries: Tensor(shape: [1, 2]), k: -1) }
        #expect(throws: ScoringError.invalidQueries(shape: [0, 2])) { try ScoringSession(queries: Tensor(shape: [0, 2]), k: 1) }
        var session = try ScoringSession(queries: Tensor(shape: [1, 3]), k: 1)
        let block = ScoringFixtures.blocks(sizes: [2], dimension: 2, seed: 10)[0]
        #expect(throws: ScoringError.dimensionMismatch(block: 2, queries: 3)) {
            try block.withView(.float32) { try session.consume($0) }
        }
        let ids: [Int64] = [1, 2]
        let values = [UInt8](repeating: 0, count: 12)
        ids.withUnsafeBufferPointer { ids in
            values.withUnsafeBytes { values in
                #expect(throws: ScoringError.valueByteCountMismatch(expected: 16, actual: 12)) {
                    try GradientBlockView(ids: ids, values: values, rows: 2, dimension: 2, precision: .float32)
                }
                #expect(throws: ScoringError.idCountMismatch(rows: 3, ids: 2)) {
                    try GradientBlockView(ids: ids, values: values, rows: 3, dimension: 1, precision: .float32)
                }
                #expect(throws: ScoringError.invalidBlockShape(rows: 2, dimension: -1)) {
                    try GradientBlockView(ids: ids, values: values, rows: 2, dimension: -1, precision: .float16)
                }
            }
        }
    }
}

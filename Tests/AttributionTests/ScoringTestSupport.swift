@testable import Attribution
import Numerics

/// A gradient block held in test-owned arrays.
struct ScoringFixtureBlock {
    var ids: [Int64]
    var values: [Float]  // [ids.count × dimension]
    var dimension: Int

    /// Calls `body` with a view of the block stored at `precision`, optionally starting
    /// `misalignment` bytes into its buffer.
    func withView<R>(
        _ precision: GradientBlockView.Precision, misalignment: Int = 0, _ body: (GradientBlockView) throws -> R
    ) throws -> R {
        let bytes: [UInt8] = switch precision {
        case .float32: values.withUnsafeBytes { Array($0) }
        case .float16: values.map { Float16($0).bitPattern }.withUnsafeBytes { Array($0) }
        }
        let padded = [UInt8](repeating: 0, count: misalignment) + bytes
        return try ids.withUnsafeBufferPointer { ids in
            try padded.withUnsafeBytes { raw in
                let view = try GradientBlockView(
                    ids: ids, values: UnsafeRawBufferPointer(rebasing: raw[misalignment...]),
                    rows: ids.count, dimension: dimension, precision: precision)
                return try body(view)
            }
        }
    }

    /// The block's rows with their values rounded through binary16.
    var roundedToHalf: ScoringFixtureBlock {
        ScoringFixtureBlock(ids: ids, values: values.map { Float(Float16($0)) }, dimension: dimension)
    }
}

enum ScoringFixtures {
    /// Small integers in −2...2, so dot products are exact in any summation order and ties are
    /// frequent.
    static func integers(count: Int, seed: UInt64) -> [Float] {
        var generator = SeededGenerator(keys: seed, 0x5c0)
        return (0..<count).map { _ in Float(Int(generator.nextUniform() * 5) - 2) }
    }

    /// Blocks of the given sizes with consecutive ids from `firstID`, integer-valued.
    static func blocks(sizes: [Int], dimension: Int, firstID: Int64 = 100, seed: UInt64) -> [ScoringFixtureBlock] {
        var next = firstID
        return sizes.enumerated().map { index, rows in
            let ids = (0..<Int64(rows)).map { next + $0 }
            next += Int64(rows)
            return ScoringFixtureBlock(
                ids: ids, values: integers(count: rows * dimension, seed: seed &+ UInt64(index)), dimension: dimension)
        }
    }

    /// Exact scores of every example for one query (in Double, then to Float).
    static func scores(_ blocks: [ScoringFixtureBlock], query: ArraySlice<Float>) -> [ScoredExample] {
        blocks.flatMap { block in
            block.ids.indices.map { row in
                let gradient = block.values[(row * block.dimension)..<((row + 1) * block.dimension)]
                let dot = zip(gradient, query).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
                return ScoredExample(id: block.ids[row], score: Float(dot))
            }
        }
    }

    /// The reference ranking: sort everything, ties by id.
    static func ranking(_ scores: [ScoredExample], k: Int) -> QueryRanking {
        let top = scores.sorted { $0.score > $1.score || ($0.score == $1.score && $0.id < $1.id) }
        let bottom = scores.sorted { $0.score < $1.score || ($0.score == $1.score && $0.id < $1.id) }
        return QueryRanking(top: Array(top.prefix(k)), bottom: Array(bottom.prefix(k)))
    }

    /// The `query`-th row of a `[Q × dimension]` tensor.
    static func row(_ queries: Tensor, _ query: Int) -> ArraySlice<Float> {
        let dimension = queries.shape[1]
        return queries.scalars[(query * dimension)..<((query + 1) * dimension)]
    }
}

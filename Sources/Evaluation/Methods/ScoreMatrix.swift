import Numerics

/// Score tables of the LDS comparison, `scores[q][i]` for query q and training example i.
enum ScoreMatrix {
    /// `[Q × N]` inner products of the rows of `queries` (`[Q, D]`) and `training` (`[N, D]`),
    /// one GEMM, as nested arrays.
    static func rowDotProducts(_ queries: Tensor, _ training: Tensor) -> [[Double]] {
        let products = queries.matmul(training, transposeOther: .transposed)
        let columns = training.shape[0]
        return (0..<queries.shape[0]).map { row in products.scalars[(row * columns)..<((row + 1) * columns)].map(Double.init) }
    }
}

import Attribution
import Numerics

/// The TRAK-style baseline: the projected training gradients themselves are the features Φ,
/// and the curvature is their dense (not Kronecker-factored) second moment, so
/// `τ(i, x̂) = φ(x̂)ᵀ (ΦᵀΦ/N + λI)⁻¹ φ_i` with `λ` relative to the mean eigenvalue of `ΦᵀΦ/N`.
public struct TRAKStyleScores {
    /// Training features `[N, D]`.
    public let training: Tensor
    /// Query features `[Q, D]`.
    public let queries: Tensor

    /// A baseline over the given projected gradients.
    public init(training: Tensor, queries: Tensor) {
        precondition(training.rank == 2 && queries.rank == 2 && training.shape[1] == queries.shape[1],
                     "TRAK-style scores: features \(training.shape) and queries \(queries.shape) differ in width")
        self.training = training
        self.queries = queries
    }

    /// `scores[q][i]` with damping `relativeDamping × mean eigenvalue`.
    public func scores(relativeDamping: Double) throws -> [[Double]] {
        let (count, width) = (training.shape[0], training.shape[1])
        var gram = training.matmul(training, transposeSelf: .transposed).scalars.map { Double($0) / Double(count) }
        for index in 0..<(width * width) where index / width > index % width {
            gram[index] = gram[(index % width) * width + index / width]  // exact symmetry for LAPACK
        }
        let decomposition = try SymmetricEigendecomposition.decompose(gram, size: width).get()
        let damping = relativeDamping * decomposition.values.reduce(0, +) / Double(width)
        let basis = Tensor(shape: [width, width], scalars: decomposition.vectors.map(Float.init))
        var rotated = queries.matmul(basis)  // [Q, D]: Uᵀq per row
        for row in 0..<queries.shape[0] {
            for column in 0..<width {
                rotated.scalars[row * width + column] /= Float(decomposition.values[column] + damping)
            }
        }
        let preconditioned = rotated.matmul(basis, transposeOther: .transposed)
        return ScoreMatrix.rowDotProducts(preconditioned, training)
    }
}

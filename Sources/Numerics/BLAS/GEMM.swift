import COpenBLAS

/// Whether a GEMM operand is used as stored or transposed.
public enum Transpose: Sendable {
    case none, transposed
    var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
}

/// Row-major single-precision GEMM on raw buffers: `C = alpha * op(A) * op(B) + beta * C`,
/// where `op(A)` is `m × k`, `op(B)` is `k × n` and `C` is `m × n`.
///
/// Leading dimensions let callers address sub-matrices (e.g. one attention head's columns).
/// Every matrix multiplication in the project goes through here, so BLAS threading policy
/// (see `BLASThreads`) applies uniformly.
public func sgemm(
    _ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
    alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
) {
    if m == 0 || n == 0 { return }
    cblas_sgemm(
        CblasRowMajor, transA.cblas, transB.cblas, Int32(m), Int32(n), Int32(k),
        alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

extension Tensor {
    /// Matrix product of two rank-2 tensors with optional transposes: `op(self) · op(other)`.
    public func matmul(_ other: Tensor, transposeSelf: Transpose = .none, transposeOther: Transpose = .none) -> Tensor {
        precondition(rank == 2 && other.rank == 2, "matmul needs rank-2 operands, got \(shape) and \(other.shape)")
        let (m, k) = transposeSelf == .none ? (shape[0], shape[1]) : (shape[1], shape[0])
        let (k2, n) = transposeOther == .none ? (other.shape[0], other.shape[1]) : (other.shape[1], other.shape[0])
        precondition(k == k2, "matmul inner dimensions differ: \(shape) · \(other.shape)")
        var out = Tensor(shape: [m, n])
        scalars.withUnsafeBufferPointer { a in
            other.scalars.withUnsafeBufferPointer { b in
                out.scalars.withUnsafeMutableBufferPointer { c in
                    sgemm(transposeSelf, transposeOther, m: m, n: n, k: k,
                          a: a.baseAddress!, lda: shape[1], b: b.baseAddress!, ldb: other.shape[1],
                          c: c.baseAddress!, ldc: n)
                }
            }
        }
        return out
    }
}

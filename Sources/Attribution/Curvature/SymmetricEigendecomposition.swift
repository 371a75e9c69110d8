import COpenBLAS

/// Eigendecomposition `M = Q diag(λ) Qᵀ` of a symmetric matrix, through LAPACK `dsyevd`.
///
/// Layout: LAPACK is column-major. A symmetric matrix is its own transpose, so the row-major
/// input needs no conversion. On return LAPACK has written eigenvector `i` as column `i` of a
/// column-major array, i.e. contiguously as *row* `i` of the same memory read row-major: the
/// buffer holds `Qᵀ`. We transpose it once, so ``vectors`` is `Q` row-major with eigenvectors
/// in its columns, like every other matrix in the engine.
public struct SymmetricEigendecomposition: Sendable {
    /// Eigenvalues in ascending order; round-off negatives of a positive semi-definite input
    /// are clamped to zero.
    public let values: [Double]
    /// `Q`, `[n, n]` row-major: column `i` is the eigenvector of `values[i]`.
    public let vectors: [Double]

    /// Decomposes the `[n, n]` row-major symmetric positive semi-definite `matrix`.
    ///
    /// - Returns: LAPACK's `info` as a failure when the solver rejects its input or does not converge.
    public static func decompose(_ matrix: [Double], size n: Int) -> Result<SymmetricEigendecomposition, LAPACKFailure> {
        precondition(matrix.count == n * n, "matrix of \(matrix.count) elements is not \(n) × \(n)")
        guard n > 0 else { return .success(SymmetricEigendecomposition(values: [], vectors: [])) }
        var a = matrix
        var values = [Double](repeating: 0, count: n)
        var jobz = CChar(UInt8(ascii: "V")), uplo = CChar(UInt8(ascii: "U"))
        var order = Int32(n), info: Int32 = 0

        // Workspace query, then the decomposition.
        var workSize = 0.0, iworkSize: Int32 = 0, query: Int32 = -1
        dsyevd_(&jobz, &uplo, &order, &a, &order, &values, &workSize, &query, &iworkSize, &query, &info)
        guard info == 0 else { return .failure(LAPACKFailure(info: Int(info))) }
        var lwork = Int32(workSize.rounded(.up)), liwork = iworkSize
        var work = [Double](repeating: 0, count: Int(lwork))
        var iwork = [Int32](repeating: 0, count: Int(liwork))
        dsyevd_(&jobz, &uplo, &order, &a, &order, &values, &work, &lwork, &iwork, &liwork, &info)
        guard info == 0 else { return .failure(LAPACKFailure(info: Int(info))) }

        var vectors = [Double](repeating: 0, count: n * n)
        for row in 0..<n {
            for column in 0..<n { vectors[row * n + column] = a[column * n + row] }
        }
        return .success(SymmetricEigendecomposition(values: values.map { max($0, 0) }, vectors: vectors))
    }
}

/// A LAPACK routine's nonzero `info` (argument error when negative, no convergence when positive).
public struct LAPACKFailure: Error {
    /// LAPACK's `info`.
    public let info: Int
}

/// The eigenbasis `Q_S ⊗ Q_A` of one layer's Kronecker factors, applied to `[kOut, kIn]` blocks
/// without ever forming the `D × D` Kronecker product.
///
/// A row-major block `X` flattens as `vec(X)[o·kIn + i]`, so `(Q_S ⊗ Q_A)ᵀ vec(X) = vec(Q_Sᵀ X Q_A)`.
struct KroneckerBasis<Scalar: GEMMScalar>: Sendable {
    /// `kOut`.
    let outputs: Int
    /// `kIn`.
    let inputs: Int
    /// `Q_S`, `[kOut, kOut]` row-major, eigenvectors in columns.
    let outputVectors: [Scalar]
    /// `Q_A`, `[kIn, kIn]` row-major, eigenvectors in columns.
    let inputVectors: [Scalar]

    /// Which way a block is rotated.
    enum Direction {
        /// `X ↦ Q_Sᵀ X Q_A`: coordinates in the eigenbasis.
        case intoEigenbasis
        /// `X ↦ Q_S X Q_Aᵀ`: back to the projected gradient space.
        case fromEigenbasis
    }

    /// Rotates each of `rows` consecutive `[kOut, kIn]` blocks of `blocks`.
    ///
    /// Two GEMM stages: all blocks times `Q_A` (or `Q_Aᵀ`) as one `[rows·kOut, kIn]` product, then
    /// `Q_Sᵀ` (or `Q_S`) times each block.
    func rotate(_ blocks: [Scalar], rows: Int, _ direction: Direction) -> [Scalar] {
        let count = outputs * inputs
        precondition(blocks.count == rows * count, "\(blocks.count) values are not \(rows) blocks of \(count)")
        guard rows > 0, count > 0 else { return blocks }
        let into = direction == .intoEigenbasis
        var right = [Scalar](repeating: 0, count: blocks.count)
        var result = [Scalar](repeating: 0, count: blocks.count)
        blocks.withUnsafeBufferPointer { x in
            inputVectors.withUnsafeBufferPointer { qA in
                right.withUnsafeMutableBufferPointer { t in
                    Scalar.gemm(transposeA: false, transposeB: !into, m: rows * outputs, n: inputs, k: inputs,
                                a: x.baseAddress!, lda: inputs, b: qA.baseAddress!, ldb: inputs,
                                c: t.baseAddress!, ldc: inputs)
                }
            }
        }
        right.withUnsafeBufferPointer { t in
            outputVectors.withUnsafeBufferPointer { qS in
                result.withUnsafeMutableBufferPointer { y in
                    for row in 0..<rows {
                        Scalar.gemm(transposeA: into, transposeB: false, m: outputs, n: inputs, k: outputs,
                                    a: qS.baseAddress!, lda: outputs, b: t.baseAddress! + row * count, ldb: inputs,
                                    c: y.baseAddress! + row * count, ldc: inputs)
                    }
                }
            }
        }
        return result
    }

    /// `diag((Q_S ⊗ Q_A)ᵀ C (Q_S ⊗ Q_A))` for a symmetric `[D, D]` matrix `C`, as `[kOut·kIn]`.
    ///
    /// Entry `(j, k)` is `E[(Q_Sᵀ G̃ Q_A)²_{jk}]` when `C = E[vec(G̃) vec(G̃)ᵀ]`: the EK-FAC
    /// eigenvalues. With `K = Q_S ⊗ Q_A`, rotating the rows of `C` gives `Z = C K`; then `Kᵀ Z`
    /// rotates `Z`'s row index `(o, i)`: `Q_Sᵀ` on `o` as one GEMM over `Z` viewed as
    /// `[kOut, kIn·D]`, then `Q_Aᵀ` on `i` per `o`-slice. All GEMMs, `O(D² (kOut + kIn))`; only the
    /// diagonal is kept (computing just it is `O(D²)` but scalar, slower in practice at these sizes).
    func diagonalInEigenbasis(of matrix: [Scalar]) -> [Scalar] {
        let dimension = outputs * inputs
        precondition(matrix.count == dimension * dimension, "matrix of \(matrix.count) elements is not \(dimension)²")
        guard dimension > 0 else { return [] }
        let rotatedColumns = rotate(matrix, rows: dimension, .intoEigenbasis)
        var outputRotated = [Scalar](repeating: 0, count: matrix.count)
        var full = [Scalar](repeating: 0, count: matrix.count)
        rotatedColumns.withUnsafeBufferPointer { z in
            outputVectors.withUnsafeBufferPointer { qS in
                outputRotated.withUnsafeMutableBufferPointer { u in
                    Scalar.gemm(transposeA: true, transposeB: false, m: outputs, n: inputs * dimension, k: outputs,
                                a: qS.baseAddress!, lda: outputs, b: z.baseAddress!, ldb: inputs * dimension,
                                c: u.baseAddress!, ldc: inputs * dimension)
                }
            }
        }
        outputRotated.withUnsafeBufferPointer { u in
            inputVectors.withUnsafeBufferPointer { qA in
                full.withUnsafeMutableBufferPointer { y in
                    for slice in 0..<outputs {
                        let offset = slice * inputs * dimension
                        Scalar.gemm(transposeA: true, transposeB: false, m: inputs, n: dimension, k: inputs,
                                    a: qA.baseAddress!, lda: inputs, b: u.baseAddress! + offset, ldb: dimension,
                                    c: y.baseAddress! + offset, ldc: dimension)
                    }
                }
            }
        }
        return (0..<dimension).map { full[$0 * dimension + $0] }
    }
}

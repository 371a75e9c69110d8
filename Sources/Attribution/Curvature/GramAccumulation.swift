import COpenBLAS
import Numerics

/// Adds `Xᵀ X` of Float32 rows into a Float64 running sum.
///
/// Why this split: the rows arrive in Float32 and single-precision BLAS is about twice as fast as
/// double, but a Float32 dot product over very many rows drifts (its worst-case relative error
/// grows with the row count). So `ssyrk` sums at most ``chunkRows`` rows at a time, and chunks,
/// batches and shards are summed in Float64, where a daemon's ever-growing totals stay accurate.
enum GramAccumulation {
    /// Longest run of rows summed in Float32 (worst-case relative error ≈ 4096 · 6e-8 ≈ 2.4e-4,
    /// typically √4096 · 6e-8 ≈ 4e-6).
    static let chunkRows = 4096

    /// `sum += Xᵀ X` for `X` = `matrix` `[n, k]`; `sum` is `[k, k]` row-major.
    static func add(rowsOf matrix: Tensor, into sum: inout [Double]) {
        precondition(matrix.rank == 2, "Gram rows must be rank 2, got \(matrix.shape)")
        let (n, k) = (matrix.shape[0], matrix.shape[1])
        precondition(sum.count == k * k, "Gram sum holds \(sum.count) elements, expected \(k * k)")
        guard n > 0, k > 0 else { return }
        var chunk = [Float](repeating: 0, count: k * k)
        matrix.scalars.withUnsafeBufferPointer { x in
            chunk.withUnsafeMutableBufferPointer { c in
                sum.withUnsafeMutableBufferPointer { s in
                    var start = 0
                    while start < n {
                        let count = min(chunkRows, n - start)
                        // Upper triangle of Xᵀ X (row-major, so `CblasTrans` makes it k × k).
                        cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(k), Int32(count),
                                    1, x.baseAddress! + start * k, Int32(k), 0, c.baseAddress!, Int32(k))
                        for i in 0..<k {
                            s[i * k + i] += Double(c[i * k + i])
                            for j in (i + 1)..<k {
                                let value = Double(c[i * k + j])
                                s[i * k + j] += value
                                s[j * k + i] += value
                            }
                        }
                        start += count
                    }
                }
            }
        }
    }
}

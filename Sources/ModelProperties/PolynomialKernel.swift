import Numerics

/// The cubic polynomial kernel of KID, `k(x, y) = (xᵀy/d + 1)³` for `d`-dimensional features.
enum PolynomialKernel {
    /// `k(a_i, b_j)` for every row `i` of `a` `[m, d]` and row `j` of `b` `[n, d]`, row-major `[m, n]`.
    static func matrix(_ a: Tensor, _ b: Tensor) -> [Double] {
        precondition(a.rank == 2 && b.rank == 2 && a.shape[1] == b.shape[1], "kernel of \(a.shape) and \(b.shape)")
        let (m, n, d) = (a.shape[0], b.shape[0], a.shape[1])
        let products = Tensor(shape: [m, n]) { result in
            a.scalars.withUnsafeBufferPointer { left in
                b.scalars.withUnsafeBufferPointer { right in
                    guard let left = left.baseAddress, let right = right.baseAddress, let result = result.baseAddress else { return }
                    sgemm(.none, .transposed, m: m, n: n, k: d, alpha: 1 / Float(d), a: left, lda: d, b: right, ldb: d,
                          c: result, ldc: n)
                }
            }
        }
        return products.scalars.map { scaled in
            let base = Double(scaled) + 1
            return base * base * base
        }
    }

    /// `1/(n(n−1)) Σ_{i≠j} k_ij` of a square `[n, n]` kernel matrix: the unbiased mean over pairs.
    static func offDiagonalMean(_ kernel: [Double], count n: Int) -> Double {
        precondition(kernel.count == n * n && n >= 2, "offDiagonalMean: \(kernel.count) entries for \(n)")
        var sum = 0.0
        for row in 0..<n {
            for column in 0..<n where column != row { sum += kernel[row * n + column] }
        }
        return sum / Double(n * (n - 1))
    }
}

/// Small dense linear algebra for reference computations in tests.
enum DenseAlgebra {
    /// x with a·x = b, by Gaussian elimination with partial pivoting (a is n×n row-major).
    static func solve(_ a: [Double], _ b: [Double]) -> [Double] {
        let n = b.count
        var m = a
        var x = b
        for column in 0..<n {
            let pivot = (column..<n).max { abs(m[$0 * n + column]) < abs(m[$1 * n + column]) }!
            for k in 0..<n { m.swapAt(column * n + k, pivot * n + k) }
            x.swapAt(column, pivot)
            for row in (column + 1)..<n {
                let factor = m[row * n + column] / m[column * n + column]
                for k in column..<n { m[row * n + k] -= factor * m[column * n + k] }
                x[row] -= factor * x[column]
            }
        }
        for row in stride(from: n - 1, through: 0, by: -1) {
            let tail = ((row + 1)..<n).reduce(0) { $0 + m[row * n + $1] * x[$1] }
            x[row] = (x[row] - tail) / m[row * n + row]
        }
        return x
    }

    /// A⁻¹ (columns solved one by one).
    static func inverse(_ a: [Double], size n: Int) -> [Double] {
        var inverse = Array(repeating: 0.0, count: n * n)
        for column in 0..<n {
            let unit = (0..<n).map { $0 == column ? 1.0 : 0 }
            for (row, value) in solve(a, unit).enumerated() { inverse[row * n + column] = value }
        }
        return inverse
    }

    /// a·b for n×n row-major matrices.
    static func multiply(_ a: [Double], _ b: [Double], size n: Int) -> [Double] {
        (0..<n * n).map { index in (0..<n).reduce(0) { $0 + a[index / n * n + $1] * b[$1 * n + index % n] } }
    }

    /// The transpose of an n×n row-major matrix.
    static func transpose(_ a: [Double], size n: Int) -> [Double] {
        (0..<n * n).map { a[$0 % n * n + $0 / n] }
    }
}

@testable import Attribution

/// `x_aᵀ (JᵀJ + λI)⁻¹ y_b` for a Jacobian `J` `[R, n]` given as column blocks, in Float64.
///
/// Whichever side is smaller is eigendecomposed: `JᵀJ = W diag(σ) Wᵀ` (`n ≤ R`), giving
/// `Σ_k (Wᵀx)_k (Wᵀy)_k / (σ_k + λ)`; or `J Jᵀ = V diag(σ) Vᵀ` (Woodbury), giving
/// `xᵀy/λ − Σ_k (VᵀJx)_k (VᵀJy)_k / (λ(σ_k + λ))`.
struct CurvatureDampedGGN {
    /// One block of columns of `J`: where it sits in a flat vector, and its `[R, width]` values.
    struct Block {
        let offset: Int, width: Int
        let values: [Double]
    }

    let rows: Int
    let blocks: [Block]
    /// Whether `JᵀJ` (rather than `J Jᵀ`) was decomposed.
    let parameterSide: Bool
    let eigenvalues: [Double], eigenvectors: [Double]

    init(rows: Int, blocks: [Block]) throws {
        self.rows = rows
        self.blocks = blocks
        let width = blocks.reduce(0) { $0 + $1.width }
        parameterSide = width <= rows
        let size = parameterSide ? width : rows
        var matrix = [Double](repeating: 0, count: size * size)
        // The parameter side needs `J` as one `[R, n]` matrix.
        let parts = parameterSide && blocks.count > 1 ? [Self.concatenated(blocks, rows: rows)] : blocks
        for block in parts {
            var part = [Double](repeating: 0, count: size * size)
            if parameterSide {
                Self.gemm(block.values, block.values, m: size, n: size, k: rows, transposeA: true, transposeB: false, into: &part)
            } else {
                Self.gemm(block.values, block.values, m: size, n: size, k: block.width, transposeA: false, transposeB: true, into: &part)
            }
            for index in matrix.indices { matrix[index] += part[index] }
        }
        switch SymmetricEigendecomposition.decompose(matrix, size: size) {
        case .success(let decomposition):
            eigenvalues = decomposition.values
            eigenvectors = decomposition.vectors
        case .failure(let failure):
            throw CurvatureError.eigendecompositionFailed(layer: "dense GGN", info: failure.info)
        }
    }

    /// The blocks side by side: `[R, Σ width]`.
    private static func concatenated(_ blocks: [Block], rows: Int) -> Block {
        let values = (0..<rows).flatMap { row in blocks.flatMap { $0.values[(row * $0.width)..<((row + 1) * $0.width)] } }
        return Block(offset: 0, width: blocks.reduce(0) { $0 + $1.width }, values: values)
    }

    /// `[count, Σ width]`: the columns of `blocks`, side by side, in flat rows `[count, dimension]`.
    private static func gather(_ blocks: [Block], _ flat: [Double], count: Int, dimension: Int) -> [Double] {
        (0..<count).flatMap { row in blocks.flatMap { flat[(row * dimension + $0.offset)..<(row * dimension + $0.offset + $0.width)] } }
    }

    /// `[count, width]`: the columns of `block` in flat rows `[count, dimension]`.
    private static func gather(_ block: Block, _ flat: [Double], count: Int, dimension: Int) -> [Double] {
        (0..<count).flatMap { row in flat[(row * dimension + block.offset)..<(row * dimension + block.offset + block.width)] }
    }

    /// Eigenbasis coordinates of flat rows: `Wᵀx` or `VᵀJx`, `[count, size]`.
    private func coordinates(_ flat: [Double], count: Int, dimension: Int) -> [Double] {
        let size = eigenvalues.count
        var projected = [Double](repeating: 0, count: count * size)
        if parameterSide {
            projected = Self.gather(blocks, flat, count: count, dimension: dimension)
        } else {
            for block in blocks {
                var part = [Double](repeating: 0, count: count * size)
                Self.gemm(Self.gather(block, flat, count: count, dimension: dimension), block.values, m: count, n: size, k: block.width,
                          transposeA: false, transposeB: true, into: &part)
                for index in projected.indices { projected[index] += part[index] }
            }
        }
        var rotated = [Double](repeating: 0, count: count * size)
        Self.gemm(projected, eigenvectors, m: count, n: size, k: size, transposeA: false, transposeB: false, into: &rotated)
        return rotated
    }

    /// `[Q][N]` influence of flat training rows `y` `[N, dimension]` on flat query rows `x` `[Q, dimension]`.
    func influence(queries x: [Double], _ queryCount: Int, training y: [Double], _ trainingCount: Int,
                   dimension: Int, damping lambda: Double) -> [[Double]] {
        let size = eigenvalues.count
        let (cx, cy) = (coordinates(x, count: queryCount, dimension: dimension), coordinates(y, count: trainingCount, dimension: dimension))
        return (0..<queryCount).map { a in
            (0..<trainingCount).map { b in
                var sum = 0.0
                for k in 0..<size {
                    let weight = parameterSide ? 1 / (eigenvalues[k] + lambda) : -1 / (lambda * (eigenvalues[k] + lambda))
                    sum += cx[a * size + k] * cy[b * size + k] * weight
                }
                if !parameterSide {
                    for block in blocks {
                        for column in block.offset..<(block.offset + block.width) {
                            sum += x[a * dimension + column] * y[b * dimension + column] / lambda
                        }
                    }
                }
                return sum
            }
        }
    }

    private static func gemm(_ a: [Double], _ b: [Double], m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool,
                             into c: inout [Double]) {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    Double.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                a: a.baseAddress!, lda: transposeA ? m : k, b: b.baseAddress!, ldb: transposeB ? k : n,
                                c: c.baseAddress!, ldc: n)
                }
            }
        }
    }
}

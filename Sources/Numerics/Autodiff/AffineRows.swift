import COpenBLAS

/// The kernels Linear and Conv2d share: both apply `y = a · Wᵀ + b` to rows `a` (token features
/// for Linear, im2col patches for Conv2d), so forward and backward are each one GEMM per operand.
enum AffineRows {
    /// `inputs [rows, inner] · weightᵀ + bias` as a `[rows, outer]` tensor, for a `[outer, inner]` weight.
    static func forward(inputs: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
        let (rows, inner, outer) = (inputs.shape[0], inputs.shape[1], weight.shape[0])
        precondition(weight.shape == [outer, inner], "weight \(weight.shape) does not map \(inner) inputs")
        if let bias { precondition(bias.shape == [outer], "bias \(bias.shape) does not match \(outer) outputs") }
        var output = bias.map { Tensor(repeatingRow: $0, count: rows) } ?? Tensor(shape: [rows, outer])
        inputs.scalars.withUnsafeBufferPointer { a in
            weight.scalars.withUnsafeBufferPointer { w in
                output.scalars.withUnsafeMutableBufferPointer { out in
                    sgemm(.none, .transposed, m: rows, n: outer, k: inner, a: a.baseAddress!, lda: inner,
                          b: w.baseAddress!, ldb: inner, beta: bias == nil ? 0 : 1, c: out.baseAddress!, ldc: outer)
                }
            }
        }
        return output
    }

    /// `outputGradientᵀ · inputs`: the `[outer, inner]` weight gradient.
    static func weightGradient(outputGradient: Tensor, inputs: Tensor) -> Tensor {
        outputGradient.matmul(inputs, transposeSelf: .transposed)
    }

    /// `outputGradient · weight`: the `[rows, inner]` gradient of the input rows.
    static func inputGradient(outputGradient: Tensor, weight: Tensor) -> Tensor {
        outputGradient.matmul(weight)
    }

    /// Column sums of the `[rows, outer]` output gradient: the bias gradient.
    static func biasGradient(outputGradient: Tensor) -> Tensor {
        let (rows, outer) = (outputGradient.shape[0], outputGradient.shape[1])
        let ones = [Float](repeating: 1, count: rows)
        var gradient = Tensor(shape: [outer])
        if rows == 0 { return gradient }
        outputGradient.scalars.withUnsafeBufferPointer { g in
            gradient.scalars.withUnsafeMutableBufferPointer { db in
                cblas_sgemv(CblasRowMajor, CblasTrans, Int32(rows), Int32(outer), 1, g.baseAddress, Int32(outer),
                            ones, 1, 0, db.baseAddress, 1)
            }
        }
        return gradient
    }
}

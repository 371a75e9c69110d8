import COpenBLAS

extension Tensor {
    /// Adds `alpha * other` in place (BLAS saxpy). Shapes must match.
    public mutating func add(_ other: Tensor, scaledBy alpha: Float = 1) {
        precondition(shape == other.shape, "add: shape \(shape) vs \(other.shape)")
        let n = Int32(count)
        other.scalars.withUnsafeBufferPointer { src in
            scalars.withUnsafeMutableBufferPointer { dst in
                cblas_saxpy(n, alpha, src.baseAddress, 1, dst.baseAddress, 1)
            }
        }
    }

    /// Multiplies every element by `alpha` in place (BLAS sscal).
    public mutating func scale(by alpha: Float) {
        let n = Int32(count)
        scalars.withUnsafeMutableBufferPointer { cblas_sscal(n, alpha, $0.baseAddress, 1) }
    }

    /// Sum of all elements, accumulated in Double.
    public func sum() -> Double {
        scalars.reduce(0.0) { $0 + Double($1) }
    }

    /// Dot product of all elements with `other`'s (BLAS sdot).
    public func dot(_ other: Tensor) -> Float {
        precondition(count == other.count, "dot: \(count) vs \(other.count) elements")
        return cblas_sdot(Int32(count), scalars, 1, other.scalars, 1)
    }
}

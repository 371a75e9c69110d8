import Numerics

extension Tape {
    /// `x / factor`, as diffusers' `output_scale_factor` and `rescale_output_factor` divide a
    /// residual sum; the common factor 1 records nothing.
    ///
    /// Multiplying by the reciprocal differs from PyTorch's division by at most one rounding,
    /// and not at all for powers of two.
    func rescaled(_ x: Variable, dividingBy factor: Float) -> Variable {
        factor == 1 ? x : scaled(x, by: 1 / factor)
    }
}

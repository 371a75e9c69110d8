import Numerics

/// Features shifted to mean 0 and scaled to variance 1 per column, with the shift and scale kept so
/// weights fitted on them can be expressed on the raw features.
struct StandardisedFeatures {
    /// The standardised features `[N, F]`.
    let values: Tensor
    /// Column means of the raw features.
    let mean: [Float]
    /// `1/√(variance + 10⁻⁶)` per column; the floor keeps constant columns finite.
    let scale: [Float]

    init(_ raw: Tensor) {
        let (rows, width) = (raw.shape[0], raw.shape[1])
        var sums = [Double](repeating: 0, count: width), squares = [Double](repeating: 0, count: width)
        for row in 0..<rows {
            for column in 0..<width {
                let value = Double(raw.scalars[row * width + column])
                sums[column] += value
                squares[column] += value * value
            }
        }
        mean = sums.map { Float($0 / Double(rows)) }
        scale = (0..<width).map { column in
            let average = sums[column] / Double(rows)
            return Float(1 / (max(squares[column] / Double(rows) - average * average, 0) + 1e-6).squareRoot())
        }
        var values = raw
        for row in 0..<rows {
            for column in 0..<width {
                values.scalars[row * width + column] = (values.scalars[row * width + column] - mean[column]) * scale[column]
            }
        }
        self.values = values
    }

    /// Weights and biases on raw features equivalent to `weights` `[F, K]` and `bias` on the
    /// standardised ones: `W' = diag(scale)·W`, `b' = b − meanᵀ W'`.
    func fold(weights: [Float], bias: [Float], classes: Int) -> (weights: [Float], bias: [Float]) {
        var folded = weights
        var shifted = bias.map(Double.init)
        for feature in scale.indices {
            for label in 0..<classes {
                folded[feature * classes + label] *= scale[feature]
                shifted[label] -= Double(mean[feature]) * Double(folded[feature * classes + label])
            }
        }
        return (folded, shifted.map(Float.init))
    }
}

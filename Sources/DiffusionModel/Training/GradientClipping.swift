import Numerics

/// Scales `gradients` so their joint Euclidean norm is at most `maxNorm`, as PyTorch's
/// `clip_grad_norm_` (scale `maxNorm / (norm + 1e-6)`, never above 1).
///
/// - Returns: The joint norm before clipping.
@discardableResult
public func clipGradientNorm(_ gradients: inout [String: Tensor], maxNorm: Double) -> Double {
    let squaredNorm = gradients.values.reduce(0.0) { total, gradient in
        let norm = Double(gradient.dot(gradient).squareRoot())
        return total + norm * norm
    }
    let norm = squaredNorm.squareRoot()
    let scale = maxNorm / (norm + 1e-6)
    if scale < 1 {
        for name in gradients.keys { gradients[name]?.scale(by: Float(scale)) }
    }
    return norm
}

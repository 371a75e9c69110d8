import Foundation
import Numerics

/// Sinusoidal timestep features, as diffusers' `get_timestep_embedding`.
///
/// For `half = dim / 2`, frequency `j` is `exp(-ln(10000) * j / (half - freqShift))`; the
/// embedding is `[sin, cos]` of `t * frequency`, swapped to `[cos, sin]` when `flipSinToCos`.
/// Odd `dim` is zero-padded at the end.
public func sinusoidalTimestepEmbedding(timesteps: [Float], dim: Int, flipSinToCos: Bool, freqShift: Float) -> Tensor {
    let half = dim / 2
    var out = Tensor(shape: [timesteps.count, dim])
    for (row, t) in timesteps.enumerated() {
        for j in 0..<half {
            let exponent = -log(Float(10000)) * Float(j) / (Float(half) - freqShift)
            let angle = t * exp(exponent)
            let (first, second) = flipSinToCos ? (cos(angle), sin(angle)) : (sin(angle), cos(angle))
            out.scalars[row * dim + j] = first
            out.scalars[row * dim + half + j] = second
        }
    }
    return out
}

import Foundation
import Numerics

/// Sinusoidal timestep features, as diffusers' `get_timestep_embedding` (scale 1, max period 10000).
///
/// For `half = dim / 2`, frequency `j` is `exp(-ln(10000) · j / (half - freqShift))`; the
/// embedding is `[sin, cos]` of `t · frequency`, swapped to `[cos, sin]` when `flipSinToCos`.
/// Odd `dim` is zero-padded at the end.
///
/// The float32 operations follow PyTorch's order (`Float(-ln 10000) · Float(j)`, divided by
/// `Float(half - freqShift)`, `exp`, times `Float(t)`), with `exp`, `sin` and `cos` evaluated in
/// Double and rounded once: at t ≈ 1000 one ulp of a frequency moves the angle by about 1e-4
/// radians, so any other order visibly changes the model's output.
public func sinusoidalTimestepEmbedding(timesteps: [Float], dim: Int, flipSinToCos: Bool, freqShift: Double) -> Tensor {
    let half = dim / 2
    let logMaxPeriod = Float(-log(10000.0))
    let divisor = Float(Double(half) - freqShift)
    let frequencies = (0..<half).map { j in Float(exp(Double(logMaxPeriod * Float(j) / divisor))) }
    var out = Tensor(shape: [timesteps.count, dim])
    for (row, t) in timesteps.enumerated() {
        for (j, frequency) in frequencies.enumerated() {
            let angle = Double(t * frequency)
            let (sine, cosine) = (Float(sin(angle)), Float(cos(angle)))
            out.scalars[row * dim + j] = flipSinToCos ? cosine : sine
            out.scalars[row * dim + half + j] = flipSinToCos ? sine : cosine
        }
    }
    return out
}

/// diffusers' `Timesteps` + `TimestepEmbedding`: the sinusoidal features of the timesteps,
/// then `linear_2(silu(linear_1(features)))` (prefix `time_embedding`).
struct TimestepEmbedding: ParameterizedLayer, Sendable {
    let sinusoidChannels: Int
    let flipSinToCos: Bool
    let freqShift: Double
    let linear1: LinearLayer
    let linear2: LinearLayer

    init(sinusoidChannels: Int, embeddingChannels: Int, flipSinToCos: Bool, freqShift: Double) {
        self.sinusoidChannels = sinusoidChannels
        self.flipSinToCos = flipSinToCos
        self.freqShift = freqShift
        linear1 = LinearLayer(name: "time_embedding.linear_1", inFeatures: sinusoidChannels, outFeatures: embeddingChannels)
        linear2 = LinearLayer(name: "time_embedding.linear_2", inFeatures: embeddingChannels, outFeatures: embeddingChannels)
    }

    var parameterSpecs: [ParameterSpec] { linear1.parameterSpecs + linear2.parameterSpecs }
    var observedLayers: [ObservedLayer] { linear1.observedLayers + linear2.observedLayers }

    /// The `[N, E]` embedding of one timestep per example.
    func apply(timesteps: [Float], _ parameters: ParameterBindings, on tape: Tape) -> Variable {
        let features = sinusoidalTimestepEmbedding(timesteps: timesteps, dim: sinusoidChannels,
                                                   flipSinToCos: flipSinToCos, freqShift: freqShift)
        let hidden = tape.silu(linear1.apply(tape.constant(features), parameters, on: tape))
        return linear2.apply(hidden, parameters, on: tape)
    }
}

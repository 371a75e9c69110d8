import DiffusionModel
import Numerics

/// A property that is a statistic of the distribution of generated samples, defined for any
/// positive masses on the samples; its gradient target follows from the masses.
///
/// **Masses.** `F(w)` is the statistic of the weighted empirical distribution
/// `p̂_w = Σ_j w_j δ(x_j) / Σ_j w_j` (pair statistics use the self-normalised weighted U-statistic).
/// Unit masses give ``ModelProperty/measure(model:generated:)``, and scaling every mass leaves
/// `F` unchanged.
///
/// **Gradient target.** The samples `x_j` are draws from the model's distribution `p_θ`. Moving
/// the weights to `θ + δ` changes that distribution, which the same samples represent with the
/// importance masses `w_j = p_{θ+δ}(x_j) / p_θ(x_j) ≈ 1 + δᵀ∇_θ log p_θ(x_j)`. To first order,
///
///     ∇_θ F ≈ Σ_j g_j ∇_θ log p_θ(x_j),    g_j = ∂F/∂w_j at w = 1
///
/// (the score-function identity `∇E_p[f] = E_p[f ∇log p]` for a general statistic). Because `F`
/// is invariant to scaling all masses, `Σ_j g_j = 0` (Euler's theorem for degree-0 homogeneous
/// functions): the sensitivities are centred, which is also the variance-reducing baseline of the
/// score-function estimator; they are centred once more numerically. `g_j` equals the influence
/// function of `F` at `x_j` divided by `M`. The diffusion loss bounds the negative log-likelihood
/// (`−log p_θ(x) ≤ ELBO`, of which the per-image loss `ℓ` is the equally weighted surrogate), so
/// `−ℓ` stands in for `log p_θ` up to a positive factor and a constant:
///
///     ∇_θ F ≈ Σ_j weights[j] ∇_θ ℓ(x_j),    weights[j] = −g_j.
///
/// The unknown positive factor scales every player's influence value alike: signs and ranks are
/// meaningful, magnitudes are in units of `ℓ`.
public protocol GeneratedSampleProperty: ModelProperty {
    /// `F(w)` for samples `generated` `[M, C, H, W]` with `masses[j] > 0` on sample `j`.
    func value(generated: Tensor, masses: [Double]) -> Double
    /// `∂F/∂w_j` at unit masses, one per sample (they sum to zero up to rounding).
    func massSensitivities(generated: Tensor) -> [Double]
}

extension GeneratedSampleProperty {
    /// Always true: the property is a statistic of generated samples.
    public var usesGeneratedSamples: Bool { true }

    /// `F` at unit masses.
    public func measure(model: UNet2DModel, generated: Tensor?) -> Double {
        let samples = Self.required(generated, name)
        return value(generated: samples, masses: Array(repeating: 1, count: samples.shape[0]))
    }

    /// The samples with weights `−(g_j − mean g)`; see ``GeneratedSampleProperty``.
    public func gradientTarget(model: UNet2DModel, generated: Tensor?) -> PropertyGradientTarget {
        let samples = Self.required(generated, name)
        let sensitivities = massSensitivities(generated: samples)
        let mean = sensitivities.reduce(0, +) / Double(sensitivities.count)
        return PropertyGradientTarget(samples: samples, weights: sensitivities.map { mean - $0 })
    }

    /// `generated`, which the suite always supplies to properties that use samples.
    private static func required(_ generated: Tensor?, _ name: String) -> Tensor {
        guard let generated, generated.rank == 4, generated.shape[0] > 0 else {
            preconditionFailure("\(name) needs generated samples [M, C, H, W]")
        }
        return generated
    }
}

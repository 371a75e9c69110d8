/// The per-timestep weights that turn DDPM's simple loss into its variational bound.
///
/// For epsilon prediction the bound's term at `t` is (Ho et al. 2020, eq. 12)
/// `β_t² / (2σ_t² α_t (1 − ᾱ_t)) · ‖ε − ε̂‖²` with `α_t = 1 − β_t`. We take the reverse-process
/// variance `σ_t² = β_t` (the other usual choice, the posterior variance `β̃_t`, is zero at
/// `t = 0` and would give that step an infinite weight), so
///
///     w(t) ∝ β_t / (2 α_t (1 − ᾱ_t)),
///
/// normalised so the weights average to 1 over `t`: the `.elbo` measurement then has the same
/// overall scale as `.loss`, which keeps damping choices comparable between the two.
public enum ELBOTimestepWeights {
    /// `w(t)` for every timestep of the schedule `betas`, mean 1.
    ///
    /// `1 − ᾱ_t` is recomputed from the betas in Double: the scheduler's Float32 `ᾱ` loses most
    /// digits of `1 − ᾱ_t ≈ β_0` at small `t`, where the weights are largest. Betas lie in
    /// `[0, 1)` (the scheduler validates them); a timestep with `ᾱ_t = 1` gets weight 0, and a
    /// schedule without any noise equal weights.
    public static func weights(betas: [Float]) -> [Float] {
        precondition(!betas.isEmpty, "weights: empty schedule")
        var alphaBar = 1.0
        let raw: [Double] = betas.map { (beta: Float) -> Double in
            let b = Double(beta)
            alphaBar *= 1 - b
            let noiseVariance = 1 - alphaBar
            // A timestep that adds no noise yet (trained betas may start at 0) has nothing to denoise.
            return noiseVariance > 0 ? b / (2 * (1 - b) * noiseVariance) : 0
        }
        let mean = raw.reduce(0, +) / Double(raw.count)
        guard mean > 0 else { return Array(repeating: 1, count: raw.count) }
        return raw.map { Float($0 / mean) }
    }
}

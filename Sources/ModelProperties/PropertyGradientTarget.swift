import Numerics

/// A property's gradient expressed through diffusion losses of images, for influence-based credit.
///
/// The property's gradient with respect to the weights is approximated by
/// `∇F ≈ Σ_j weights[j] · ∇ℓ(samples[j])`, where ℓ is the per-image diffusion loss (the
/// quantity the attribution engine's `loss` measurement differentiates). For the held-out loss
/// this is exact (weights 1/M over held-out images); for properties of generated samples it is the
/// score-function identity `∇E_p[f] = E_p[f ∇log p]` with −ℓ standing in for log p, so the
/// weights are the centred per-sample sensitivities of F, negated and divided by M.
public struct PropertyGradientTarget: Sendable {
    /// Images `[M, C, H, W]` whose loss gradients make up the property's gradient.
    public let samples: Tensor
    /// One weight per image.
    public let weights: [Double]

    /// A target of `samples` and their `weights`.
    public init(samples: Tensor, weights: [Double]) {
        precondition(samples.rank == 4 && samples.shape[0] == weights.count, "one weight per image")
        self.samples = samples
        self.weights = weights
    }
}

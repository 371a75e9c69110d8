import DiffusionModel

/// What a query's gradient differentiates: the measurement `m(x̂)` of a generated sample whose
/// change under removal of a training example influence predicts.
///
/// Both are Monte-Carlo averages over `(t, ε)` draws of the denoising error at `x̂`; they differ
/// in how timesteps are weighted. (Not named `Measurement`, which Foundation already declares.)
public enum QueryMeasurement: String, Sendable, Equatable, Codable, CaseIterable {
    /// The training loss at `x̂`: `(1/K) Σ_k mean((ε̂ − ε_k)²)`, every timestep weighted equally.
    /// The best-performing measurement in the influence paper's LDS results; the default.
    case loss
    /// The simplified ELBO: the same average with each draw weighted by
    /// ``ELBOTimestepWeights`` `w(t_k)`, which turns the loss into the variational bound's terms.
    case elbo

    /// `w(t)` for every training timestep, or nil when timesteps are weighted equally.
    func timestepWeights(scheduler: DDPMScheduler) -> [Float]? {
        switch self {
        case .loss: nil
        case .elbo: ELBOTimestepWeights.weights(betas: scheduler.betas)
        }
    }
}

import Foundation

/// The scalars of one DDPM sampling step, computed in Float32 in diffusers' order.
struct DDPMStepCoefficients {
    /// √ᾱₜ.
    let sqrtAlphaProduct: Float
    /// √(1 − ᾱₜ).
    let sqrtBetaProduct: Float
    /// Weight of the predicted x₀ in the posterior mean: √ᾱₜ₋₁ · βₜ / (1 − ᾱₜ).
    let originalWeight: Float
    /// Weight of xₜ in the posterior mean: √αₜ · (1 − ᾱₜ₋₁) / (1 − ᾱₜ).
    let sampleWeight: Float
    /// The posterior variance β̃ₜ, floored at 1e-20 as diffusers does.
    let posteriorVariance: Float
    /// βₜ between this timestep and the previous one of the (possibly shortened) chain.
    let currentBeta: Float

    init(scheduler: DDPMScheduler, timestep: Int) {
        let previous = scheduler.previousTimestep(timestep)
        let alphaProduct = scheduler.alphasCumprod[timestep]
        let previousAlphaProduct: Float = previous >= 0 ? scheduler.alphasCumprod[previous] : 1
        let betaProduct = 1 - alphaProduct
        let previousBetaProduct = 1 - previousAlphaProduct
        let currentAlpha = alphaProduct / previousAlphaProduct
        currentBeta = 1 - currentAlpha
        sqrtAlphaProduct = alphaProduct.squareRoot()
        sqrtBetaProduct = betaProduct.squareRoot()
        originalWeight = previousAlphaProduct.squareRoot() * currentBeta / betaProduct
        sampleWeight = currentAlpha.squareRoot() * previousBetaProduct / betaProduct
        posteriorVariance = max(previousBetaProduct / betaProduct * currentBeta, 1e-20)
    }

    /// The standard deviation of the noise added back for `varianceType`.
    func noiseScale(_ varianceType: DDPMSchedulerConfig.VarianceType) -> Float {
        switch varianceType {
        case .fixedSmall: posteriorVariance.squareRoot()
        case .fixedSmallLog: exp(0.5 * log(posteriorVariance))
        case .fixedLarge: currentBeta.squareRoot()
        }
    }
}

import Foundation

extension DDPMSchedulerConfig {
    /// The βs of the configured schedule, rounded to Float32 exactly where diffusers rounds.
    ///
    /// diffusers builds the linear schedules with `torch.linspace(..., dtype=float32)` (endpoints
    /// rounded to Float32 first, then Float32 arithmetic) and the cosine schedule in Python
    /// doubles, rounded once at the end; the same order is followed here, so the βs agree bit for
    /// bit.
    func betas() -> [Float] {
        if let trainedBetas { return trainedBetas.map { Float($0) } }
        switch betaSchedule {
        case .linear:
            return Self.float32Linspace(from: betaStart, to: betaEnd, count: numTrainTimesteps)
        case .scaledLinear:
            return Self.float32Linspace(from: betaStart.squareRoot(), to: betaEnd.squareRoot(), count: numTrainTimesteps)
                .map { $0 * $0 }
        case .squaredcosCapV2:
            return Self.cosineBetas(count: numTrainTimesteps, maximum: 0.999)
        }
    }

    /// ᾱₜ = ∏ₛ≤ₜ (1 − βₛ): the factors are Float32, the running product is kept in Double (as
    /// PyTorch's CPU `cumprod` accumulates Float32 in Double) and each result rounded to Float32.
    static func alphasCumprod(betas: [Float]) -> [Float] {
        var product = 1.0
        return betas.map { beta in
            product *= Double(1 - beta)
            return Float(product)
        }
    }

    /// `count` evenly spaced Float32 values as PyTorch's CPU `linspace` makes them: the first half
    /// counted up from `start`, the second half down from `end` (so both endpoints are exact),
    /// each as one fused multiply-add of the Float32 step.
    static func float32Linspace(from start: Double, to end: Double, count: Int) -> [Float] {
        let (first, last) = (Float(start), Float(end))
        guard count > 1 else { return count == 1 ? [first] : [] }
        let step = (last - first) / Float(count - 1)
        let halfway = count / 2
        return (0..<count).map { index in
            index < halfway
                ? first.addingProduct(step, Float(index))
                : last.addingProduct(-step, Float(count - index - 1))
        }
    }

    /// βₜ = min(1 − ᾱ(t+1)/ᾱ(t), maximum) for ᾱ(s) = cos²((s/count + 0.008)/1.008 · π/2), in Double.
    static func cosineBetas(count: Int, maximum: Double) -> [Float] {
        func alphaBar(_ time: Double) -> Double {
            let c = cos((time + 0.008) / 1.008 * Double.pi / 2)
            return c * c
        }
        return (0..<count).map { index in
            let t1 = Double(index) / Double(count)
            let t2 = Double(index + 1) / Double(count)
            return Float(min(1 - alphaBar(t2) / alphaBar(t1), maximum))
        }
    }
}

import Foundation

/// Linear warm-up to the base learning rate, then a half-cosine decay to zero, as diffusers'
/// `get_scheduler("cosine", num_warmup_steps:, num_training_steps:)`.
public struct CosineLearningRateSchedule: Sendable, Equatable {
    /// The learning rate reached at the end of the warm-up.
    public var baseRate: Double
    /// Steps over which the rate rises linearly from zero.
    public var warmupSteps: Int
    /// The step at which the cosine reaches zero.
    public var totalSteps: Int

    /// A schedule with the given base rate, warm-up length and total length.
    public init(baseRate: Double, warmupSteps: Int, totalSteps: Int) {
        self.baseRate = baseRate
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
    }

    /// The learning rate of the optimiser step that follows `completedSteps` earlier steps
    /// (so the very first step uses a rate of zero when there is a warm-up, as in PyTorch's
    /// `LambdaLR`).
    public func rate(afterSteps completedSteps: Int) -> Double {
        baseRate * factor(completedSteps)
    }

    private func factor(_ step: Int) -> Double {
        if step < warmupSteps { return Double(step) / Double(max(1, warmupSteps)) }
        let progress = Double(step - warmupSteps) / Double(max(1, totalSteps - warmupSteps))
        return max(0, 0.5 * (1 + cos(Double.pi * 0.5 * 2 * progress)))
    }
}

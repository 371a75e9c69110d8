/// Compute spent on coalition values, measured with a monotonic clock, so estimators can be
/// compared by cost (e.g. sparsified fine-tuning against retraining).
public struct ValuationCost: Sendable, Equatable {
    /// Coalition values computed.
    public var evaluations = 0
    /// Seconds spent making models: training, and for a prepared pruned model also pruning.
    public var trainingSeconds = 0.0
    /// Seconds spent in the caller's measurement (generating samples and measuring properties).
    public var measuringSeconds = 0.0
    /// Optimiser steps taken.
    public var trainingSteps = 0
    /// Examples processed by those steps (steps × minibatch size).
    public var examplesProcessed = 0

    /// No cost yet.
    public init() {}

    /// Training and measuring seconds together.
    public var totalSeconds: Double { trainingSeconds + measuringSeconds }

    /// Adds `other`'s counts and seconds.
    public mutating func add(_ other: ValuationCost) {
        evaluations += other.evaluations
        trainingSeconds += other.trainingSeconds
        measuringSeconds += other.measuringSeconds
        trainingSteps += other.trainingSteps
        examplesProcessed += other.examplesProcessed
    }
}

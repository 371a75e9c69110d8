import Foundation

/// Progress over the last logging interval.
public struct TrainingReport: Sendable {
    /// Optimiser steps completed.
    public let step: Int
    /// Steps the run is going to.
    public let totalSteps: Int
    /// Mean training loss over the steps since the previous report.
    public let meanLoss: Double
    /// Training examples per second over those steps (optimiser work only, no checkpoint writing).
    public let examplesPerSecond: Double
    /// The learning rate of the last step.
    public let learningRate: Double
}

/// Receives what a ``Trainer`` does, e.g. to print progress, or to act between steps (a caller
/// may write new shards into the data folder; they join training after the next checkpoint).
public protocol TrainingObserver: AnyObject {
    /// Training read its data (at the start, and again after every checkpoint).
    func trainingDidLoadData(examples: Int, shards: Int)
    /// A logging interval ended.
    func trainingDidReport(_ report: TrainingReport)
    /// A checkpoint folder was written.
    func trainingDidWriteCheckpoint(_ folder: URL, step: Int)
}

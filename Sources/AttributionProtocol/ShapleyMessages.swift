import Foundation

/// How coalition values are obtained for a Shapley refresh.
public enum ShapleyEstimatorKind: String, Sendable, Equatable, Codable, CaseIterable {
    /// Prune the latest checkpoint, recover it briefly on all data, fine-tune it on each
    /// coalition's data for a few steps, generate and measure (Lin et al., 2025).
    case sparsifiedFineTuning = "sparsified_fine_tuning"
    /// Train from scratch on each coalition's data: the ground truth, affordable on small cases.
    case retraining
    /// The property's gradient against the indexed per-example gradients, summed per
    /// contributor: a first-order estimate that evaluates no coalitions.
    case influence
}

/// How coalitions are chosen.
public enum ShapleySamplingKind: String, Sendable, Equatable, Codable, CaseIterable {
    /// Exact enumeration when the contributors are few enough, else KernelSHAP.
    case auto
    /// Every coalition (at most 10 contributors).
    case exact
    /// KernelSHAP with paired sampling.
    case kernel
    /// Random permutations.
    case permutation
}

/// Parameters of `shapley_refresh`; every member is optional and defaults to the daemon's
/// configuration.
public struct ShapleyRefreshParams: Sendable, Equatable, Codable {
    /// Properties to credit (e.g. `held_out_loss`, `class_diversity`, `kernel_distance`).
    public var properties: [String]?
    /// How coalition values are obtained.
    public var estimator: ShapleyEstimatorKind?
    /// How coalitions are chosen.
    public var sampling: ShapleySamplingKind?
    /// Stop once every contributor's standard error is at most this fraction of
    /// |F(all) − F(∅)| (per property, since properties have different units).
    public var targetStandardError: Double?
    /// At most this many coalitions evaluated by this refresh (reused ones are free).
    public var maxCoalitions: Int?

    /// Parameters with these members.
    public init(properties: [String]? = nil, estimator: ShapleyEstimatorKind? = nil, sampling: ShapleySamplingKind? = nil,
                targetStandardError: Double? = nil, maxCoalitions: Int? = nil) {
        self.properties = properties
        self.estimator = estimator
        self.sampling = sampling
        self.targetStandardError = targetStandardError
        self.maxCoalitions = maxCoalitions
    }
}

/// The result of `shapley_refresh`: the job that will run (or already runs).
public struct ShapleyRefreshResult: Sendable, Equatable, Codable {
    /// The job's number (increasing over the store's life).
    public var job: Int
    /// `true` when an equal request was already queued or running and no new job was made.
    public var alreadyQueued: Bool
    /// The settings the job runs with, defaults filled in.
    public var estimator: ShapleyEstimatorKind
    /// How coalitions are chosen.
    public var sampling: ShapleySamplingKind
    /// Properties credited.
    public var properties: [String]
    /// The standard-error target, as a fraction of |F(all) − F(∅)|.
    public var targetStandardError: Double

    /// A result with these values.
    public init(job: Int, alreadyQueued: Bool, estimator: ShapleyEstimatorKind, sampling: ShapleySamplingKind,
                properties: [String], targetStandardError: Double) {
        self.job = job
        self.alreadyQueued = alreadyQueued
        self.estimator = estimator
        self.sampling = sampling
        self.properties = properties
        self.targetStandardError = targetStandardError
    }
}

/// Parameters of `shapley_get`; each member narrows the answer.
public struct ShapleyGetParams: Sendable, Equatable, Codable {
    /// Only this property.
    public var property: String?
    /// Only this estimator.
    public var estimator: ShapleyEstimatorKind?
    /// Only valuations of this checkpoint (default: the newest valuation of each property and
    /// estimator).
    public var step: Int?

    /// Parameters with these members.
    public init(property: String? = nil, estimator: ShapleyEstimatorKind? = nil, step: Int? = nil) {
        self.property = property
        self.estimator = estimator
        self.step = step
    }
}

/// One contributor's Shapley value for one property.
public struct ShapleyContributorValue: Sendable, Equatable, Codable {
    /// The contributor's id.
    public var contributor: Int64
    /// Its display name, when shards name it.
    public var name: String?
    /// Training examples it gave.
    public var examples: Int
    /// Its Shapley value, in the property's units (a loss credited as a lower loss is negative).
    public var value: Double
    /// The standard error of `value` (0 for exact enumeration; for the influence estimator, the
    /// spread over the property's samples).
    public var standardError: Double

    /// A value with these members.
    public init(contributor: Int64, name: String?, examples: Int, value: Double, standardError: Double) {
        self.contributor = contributor
        self.name = name
        self.examples = examples
        self.value = value
        self.standardError = standardError
    }
}

/// The contributors' Shapley values for one property, checkpoint and estimator.
public struct ShapleyValuation: Sendable, Equatable, Codable {
    /// The property credited.
    public var property: String
    /// Whether a larger property value is better (false for losses and distances).
    public var higherIsBetter: Bool
    /// How coalition values were obtained.
    public var estimator: ShapleyEstimatorKind
    /// How coalitions were chosen (`auto` only for the influence estimator, which chooses none).
    public var sampling: ShapleySamplingKind
    /// The checkpoint the valuation describes.
    public var step: Int
    /// When it was computed.
    public var computedAt: Date
    /// The property with every contributor, F(all).
    public var grandValue: Double
    /// The property with none, F(∅); the values sum to `grandValue − emptyValue`.
    public var emptyValue: Double
    /// Coalitions whose values the estimate rests on.
    public var coalitions: Int
    /// Of those, how many came from earlier refreshes.
    public var coalitionsReused: Int
    /// The standard-error target of the refresh, as a fraction of |F(all) − F(∅)|.
    public var targetStandardError: Double
    /// Whether every contributor's standard error met the target.
    public var reachedTarget: Bool
    /// One entry per contributor, by contributor id.
    public var contributors: [ShapleyContributorValue]

    /// A valuation with these members.
    public init(property: String, higherIsBetter: Bool, estimator: ShapleyEstimatorKind, sampling: ShapleySamplingKind,
                step: Int, computedAt: Date, grandValue: Double, emptyValue: Double, coalitions: Int,
                coalitionsReused: Int, targetStandardError: Double, reachedTarget: Bool,
                contributors: [ShapleyContributorValue]) {
        self.property = property
        self.higherIsBetter = higherIsBetter
        self.estimator = estimator
        self.sampling = sampling
        self.step = step
        self.computedAt = computedAt
        self.grandValue = grandValue
        self.emptyValue = emptyValue
        self.coalitions = coalitions
        self.coalitionsReused = coalitionsReused
        self.targetStandardError = targetStandardError
        self.reachedTarget = reachedTarget
        self.contributors = contributors
    }
}

/// The result of `shapley_get`.
public struct ShapleyGetResult: Sendable, Equatable, Codable {
    /// Matching valuations, by property, then estimator, then step (newest last).
    public var valuations: [ShapleyValuation]

    /// A result holding `valuations`.
    public init(valuations: [ShapleyValuation]) { self.valuations = valuations }
}

/// The Shapley part of `status`.
public struct ShapleyStatus: Sendable, Equatable, Codable {
    /// A refresh in progress.
    public struct Progress: Sendable, Equatable, Codable {
        /// The job's number.
        public var job: Int
        /// How coalition values are obtained.
        public var estimator: ShapleyEstimatorKind
        /// How coalitions are chosen.
        public var sampling: ShapleySamplingKind
        /// The checkpoint being valued.
        public var step: Int
        /// What it is doing: `preparing` (pruning and recovery, classifier, reference data),
        /// `evaluating` (coalitions) or `saving`.
        public var phase: String
        /// Coalitions evaluated by this refresh so far.
        public var coalitionsEvaluated: Int
        /// Coalitions taken from earlier refreshes.
        public var coalitionsReused: Int
        /// The largest standard error over contributors and properties now, as a fraction of
        /// |F(all) − F(∅)|, once known.
        public var maxStandardError: Double?
        /// The target, as a fraction of |F(all) − F(∅)|.
        public var targetStandardError: Double
        /// When the job started.
        public var startedAt: Date

        /// Progress with these members.
        public init(job: Int, estimator: ShapleyEstimatorKind, sampling: ShapleySamplingKind, step: Int, phase: String,
                    coalitionsEvaluated: Int, coalitionsReused: Int, maxStandardError: Double?,
                    targetStandardError: Double, startedAt: Date) {
            self.job = job
            self.estimator = estimator
            self.sampling = sampling
            self.step = step
            self.phase = phase
            self.coalitionsEvaluated = coalitionsEvaluated
            self.coalitionsReused = coalitionsReused
            self.maxStandardError = maxStandardError
            self.targetStandardError = targetStandardError
            self.startedAt = startedAt
        }
    }

    /// The refresh running now.
    public var running: Progress?
    /// Refreshes waiting to run.
    public var queued: Int
    /// When the last refresh finished.
    public var lastCompletedAt: Date?
    /// Why the last refresh failed, if it did, as `job N: reason`.
    public var lastError: String?

    /// A status with these members.
    public init(running: Progress?, queued: Int, lastCompletedAt: Date?, lastError: String?) {
        self.running = running
        self.queued = queued
        self.lastCompletedAt = lastCompletedAt
        self.lastError = lastError
    }
}

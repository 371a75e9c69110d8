/// What a run has done when it reports a new evaluation to its caller.
public struct ShapleyProgress: Sendable, Equatable {
    /// The coalition just evaluated (it was not in the memo).
    public var coalition: Coalition
    /// Its values, one per property, as recorded in the memo (e.g. for the caller to persist).
    public var values: [Double]
    /// Coalitions evaluated by this run so far, this one included.
    public var newEvaluations: Int
    /// Samples folded into the estimate so far (the current one is not, until complete).
    public var samples: Int
    /// The estimate from those samples (standard errors +∞ while unknown), e.g. for the caller
    /// to show each property's standard error against its own |F(all) − F(∅)|.
    public var estimates: ShapleyEstimates

    /// A progress report with these values.
    public init(coalition: Coalition, values: [Double], newEvaluations: Int, samples: Int, estimates: ShapleyEstimates) {
        self.coalition = coalition
        self.values = values
        self.newEvaluations = newEvaluations
        self.samples = samples
        self.estimates = estimates
    }

    /// The largest standard error of the estimate from those samples, `nil` while unknown.
    public var maxStandardError: Double? { estimates.maxStandardError.isFinite ? estimates.maxStandardError : nil }
}

/// The caller's answer to a progress report.
public enum ShapleyRunDecision: Sendable, Equatable {
    /// Keep evaluating.
    case proceed
    /// Stop now: the run returns the estimate from the samples completed so far (the coalitions
    /// of an unfinished sample stay in the memo and cost nothing when the run is resumed).
    case stop
}

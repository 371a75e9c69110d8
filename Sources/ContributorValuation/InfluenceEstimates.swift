/// Influence-based contributor values, per property (in the order of the targets) and player.
public struct InfluenceEstimates: Sendable, Equatable {
    /// `values[property][player]`: see ``InfluenceValuation`` for what they estimate.
    public let values: [[Double]]
    /// `standardErrors[property][player]`: the Monte-Carlo error from the property's samples.
    public let standardErrors: [[Double]]
    /// Samples each property's estimate used.
    public let samples: [Int]

    /// Bundles values, their standard errors and the sample counts.
    public init(values: [[Double]], standardErrors: [[Double]], samples: [Int]) {
        self.values = values
        self.standardErrors = standardErrors
        self.samples = samples
    }
}

/// One way of drawing samples for a Shapley estimate: which coalitions a sample needs, how it
/// updates the running sums, and how the sums become values and standard errors.
protocol SamplingScheme: Sendable {
    /// What one sample draws (an order of the players, a coalition).
    associatedtype Draw

    /// Sample `sample` of the estimate seeded with `seed`: a pure function of the two.
    func draw(_ sample: Int, seed: UInt64) -> Draw

    /// The coalitions besides ∅ and all players that `draw` needs values of.
    func coalitions(of draw: Draw) -> [Coalition]

    /// Adds the contributions of `draw` to `state`'s sums (its coalitions are all in `values`);
    /// does not count the sample.
    func accumulate(_ draw: Draw, bounds: GameBounds, values: CoalitionValues, into state: inout ShapleySamplerState)

    /// Values and standard errors from the sums of `state` (at least one sample).
    func estimates(state: ShapleySamplerState, bounds: GameBounds) -> ShapleyEstimates
}

extension CoalitionValues {
    /// The values of a coalition known to be in the memo (a sample is folded in only once all its
    /// coalitions are).
    func known(_ coalition: Coalition) -> [Double] {
        guard let values = self[coalition] else { preconditionFailure("coalition \(coalition) is not in the memo") }
        return values
    }
}

extension ShapleyEstimator {
    /// Evaluates coalitions until the estimate is good enough, and returns it.
    ///
    /// Only coalitions missing from `values` are evaluated (the memo is the reuse between
    /// refreshes); each new value is recorded in `values` and reported to `afterEvaluation`, which
    /// may persist it and may answer `.stop`. ∅ and all players come first. Then
    /// - exact: every remaining coalition, in increasing mask order (`target` and `minSamples` do
    ///   not apply); a budget that runs out leaves the rest for a later run;
    /// - kernel, permutation: samples `state.samples`, `state.samples + 1`, … until, after at
    ///   least `minSamples` samples, every player's standard error meets `target`. A sample whose
    ///   missing coalitions exceed the remaining budget is not started; a sample cut short by
    ///   `.stop` is not folded in (its evaluated coalitions stay in the memo). Samples whose
    ///   coalitions are all in the memo cost nothing. Once the memo holds every coalition of the
    ///   game, sampling ends whatever `minSamples`: the exact values are then free and returned
    ///   (see `estimates(values:)`), so no endless re-reading of the memo can chase a target.
    ///
    /// - Parameters:
    ///   - values: the memo, with values of `properties` properties; new evaluations are added.
    ///   - target: the standard error to reach; a negative or NaN threshold is refused.
    ///   - minSamples: samples to take before the target may stop the run (not negative).
    ///   - maxNewEvaluations: most coalitions this run may evaluate (`nil`: no limit).
    ///   - evaluate: the values of a coalition, one per property; its errors are wrapped in
    ///     `ShapleyError.evaluationFailed`, and wrong counts or non-finite values are refused.
    ///   - afterEvaluation: called after each new evaluation.
    /// - Returns: the estimate from every sample folded in (see `ShapleyEstimates` for the cases
    ///   where F(∅), F(all) or samples are still missing).
    public mutating func run(values: inout CoalitionValues, target: StandardErrorTarget, minSamples: Int, maxNewEvaluations: Int?,
                             evaluate: (Coalition) throws -> [Double],
                             afterEvaluation: (ShapleyProgress) -> ShapleyRunDecision) throws(ShapleyError) -> ShapleyEstimates {
        guard values.properties == properties else { throw .propertyCountMismatch(expected: properties, found: values.properties) }
        guard target.magnitude >= 0 else { throw .invalidTarget(target.magnitude) }
        guard minSamples >= 0 else { throw .invalidRunLimit(name: "minSamples", value: minSamples) }
        if let maxNewEvaluations, maxNewEvaluations < 0 { throw .invalidRunLimit(name: "maxNewEvaluations", value: maxNewEvaluations) }
        var session = CoalitionEvaluationSession(budget: maxNewEvaluations)
        var current = estimates(values: values)
        func obtain(_ coalitions: [Coalition]) throws(ShapleyError) -> Bool {
            try session.obtain(coalitions, values: &values, samples: state.samples, estimates: current,
                               evaluate: evaluate, afterEvaluation: afterEvaluation)
        }
        guard try obtain([.empty]), try obtain([.grand(players: players)]), let bounds = GameBounds(players: players, values: values),
              players > 1 || sampling == .exact else { return estimates(values: values) }
        func sample(_ scheme: some SamplingScheme) throws(ShapleyError) {
            current = estimates(values: values)
            while current.sampling != .exact, !(state.samples >= minSamples && target.isReached(by: current)) {
                let draw = scheme.draw(state.samples, seed: state.seed)
                guard try obtain(scheme.coalitions(of: draw)) else { return }
                fold(draw, of: scheme, bounds: bounds, values: values)
                current = estimates(values: values)
            }
        }
        switch sampling {
        case .exact:
            for coalition in ExactEnumeration(players: players).coalitions {
                guard try obtain([coalition]) else { break }
            }
        case .permutation: try sample(PermutationSampling(players: players))
        case .kernel: try sample(KernelSampling(players: players))
        }
        return estimates(values: values)
    }
}

/// The evaluations of one run: looks coalitions up in the memo, evaluates and records the missing
/// ones within the budget, and reports each new one to the caller.
struct CoalitionEvaluationSession {
    /// Most new evaluations this run may make (`nil`: no limit).
    let budget: Int?
    /// New evaluations made so far.
    private(set) var newEvaluations = 0

    /// Makes sure every one of `coalitions` is in `values`. Returns `false`, having evaluated
    /// none of them, when the missing ones exceed the remaining budget, and `false` as soon as
    /// the caller answers `.stop` to a progress report; `true` when all are in the memo.
    mutating func obtain(_ coalitions: [Coalition], values: inout CoalitionValues, samples: Int, estimates: ShapleyEstimates,
                         evaluate: (Coalition) throws -> [Double],
                         afterEvaluation: (ShapleyProgress) -> ShapleyRunDecision) throws(ShapleyError) -> Bool {
        let missing = coalitions.filter { values[$0] == nil }
        if let budget, newEvaluations + missing.count > budget { return false }
        for coalition in missing {
            let result: [Double]
            do { result = try evaluate(coalition) } catch { throw .evaluationFailed(coalition: coalition, cause: error) }
            try values.record(result, for: coalition)
            newEvaluations += 1
            let progress = ShapleyProgress(coalition: coalition, values: result, newEvaluations: newEvaluations, samples: samples,
                                           estimates: estimates)
            if afterEvaluation(progress) == .stop { return false }
        }
        return true
    }
}

import AttributionProtocol
import Foundation

/// Valuations, jobs and statuses shared by the `attributionctl shapley` tests.
enum CtlShapleyFixtures {
    static let computedAt = Date(timeIntervalSince1970: 1_700_000_000)

    /// A loss (lower is better) split exactly among four contributors; F(all) − F(∅) = −0.06.
    /// Bob lowered it most; alice and contributor 3 tie; dora raised it.
    static let loss = ShapleyValuation(
        property: "held_out_loss", higherIsBetter: false, estimator: .sparsifiedFineTuning, sampling: .exact, step: 400,
        computedAt: computedAt, grandValue: 0.08, emptyValue: 0.14, coalitions: 16, coalitionsReused: 12, targetStandardError: 0.05,
        reachedTarget: true, contributors: [
            ShapleyContributorValue(contributor: 1, name: "alice", examples: 30, value: -0.01, standardError: 0),
            ShapleyContributorValue(contributor: 2, name: "bob", examples: 50, value: -0.045, standardError: 0),
            ShapleyContributorValue(contributor: 3, name: nil, examples: 10, value: -0.01, standardError: 0),
            ShapleyContributorValue(contributor: 4, name: "dora", examples: 5, value: 0.005, standardError: 0),
        ])

    /// The same property at an older checkpoint: `shapley_get` without a step leaves it out.
    static let olderLoss: ShapleyValuation = {
        var older = loss
        older.step = 200
        older.grandValue = 0.1
        return older
    }()

    /// A diversity (higher is better) estimated by KernelSHAP; F(all) − F(∅) = 0.5.
    static let diversity = ShapleyValuation(
        property: "class_diversity", higherIsBetter: true, estimator: .retraining, sampling: .kernel, step: 400,
        computedAt: computedAt, grandValue: 2, emptyValue: 1.5, coalitions: 40, coalitionsReused: 0, targetStandardError: 0.025,
        reachedTarget: false, contributors: [
            ShapleyContributorValue(contributor: 1, name: "alice", examples: 30, value: 0.1, standardError: 0.02),
            ShapleyContributorValue(contributor: 2, name: "bob", examples: 50, value: 0.35, standardError: 0.05),
            ShapleyContributorValue(contributor: 3, name: nil, examples: 10, value: 0.05, standardError: 0.01),
        ])

    /// Job 7 crediting both properties.
    static let job = ShapleyRefreshResult(job: 7, alreadyQueued: false, estimator: .retraining, sampling: .auto,
                                          properties: ["held_out_loss", "class_diversity"], targetStandardError: 0.05)

    /// Job `job` (or another) running in `phase`.
    static func progress(job: Int = 7, phase: String = "evaluating", evaluated: Int = 0, reused: Int = 0,
                         maxStandardError: Double? = nil) -> ShapleyStatus.Progress {
        ShapleyStatus.Progress(job: job, estimator: .retraining, sampling: .kernel, step: 400, phase: phase, coalitionsEvaluated: evaluated,
                               coalitionsReused: reused, maxStandardError: maxStandardError, targetStandardError: 0.05, startedAt: computedAt)
    }

    /// A Shapley status.
    static func status(running: ShapleyStatus.Progress? = nil, queued: Int = 0, lastError: String? = nil) -> ShapleyStatus {
        ShapleyStatus(running: running, queued: queued, lastCompletedAt: nil, lastError: lastError)
    }
}

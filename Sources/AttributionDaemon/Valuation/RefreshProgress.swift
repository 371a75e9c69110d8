import AttributionProtocol
import Foundation

/// Builds the `status.shapley.running` entries of one refresh as it goes.
struct RefreshProgress {
    /// The job's number.
    let job: UInt64
    /// The request being run.
    let request: RefreshRequest
    /// The checkpoint valued.
    let step: Int
    /// When the job started.
    let startedAt: Date
    /// Where entries go.
    let control: RefreshControl

    /// Reports `phase` with the coalition counts so far.
    /// - Parameter maxStandardError: The largest standard error as a fraction of |F(all) − F(∅)|, once known.
    func report(_ phase: Phase, sampling: ShapleySamplingKind? = nil, evaluated: Int = 0, reused: Int = 0,
                maxStandardError: Double? = nil) {
        control.progress(ShapleyStatus.Progress(
            job: Int(job), estimator: request.estimator, sampling: sampling ?? request.sampling, step: step, phase: phase.rawValue,
            coalitionsEvaluated: evaluated, coalitionsReused: reused,
            maxStandardError: maxStandardError.flatMap { $0.isFinite ? $0 : nil },
            targetStandardError: request.targetStandardError, startedAt: startedAt))
    }

    /// What a refresh is doing.
    enum Phase: String {
        /// Reading data, training the classifier, pruning and recovering, taking gradients.
        case preparing
        /// Evaluating coalitions.
        case evaluating
        /// Writing the results.
        case saving
    }
}

import AttributionProtocol

/// The estimators that value contributors through a coalition game (all but influence).
enum CoalitionGameKind: Sendable, CaseIterable {
    /// Fine-tune the pruned and recovered checkpoint on each coalition's data.
    case sparsifiedFineTuning
    /// Train from scratch on each coalition's data.
    case retraining

    /// The game of `estimator`, nil for influence, which plays none.
    init?(_ estimator: ShapleyEstimatorKind) {
        switch estimator {
        case .sparsifiedFineTuning: self = .sparsifiedFineTuning
        case .retraining: self = .retraining
        case .influence: return nil
        }
    }

    /// The estimator's protocol name.
    var estimator: ShapleyEstimatorKind {
        switch self {
        case .sparsifiedFineTuning: .sparsifiedFineTuning
        case .retraining: .retraining
        }
    }
}

import AttributionProtocol
import AttributionStore
import Foundation
import LMDB
import Indexing
import Logging

/// What a refresh reads: the run, its store, the index settings and the `[shapley]` settings.
struct RefreshContext: Sendable {
    let run: TrainingRun
    let store: AttributionStore
    let settings: IndexSettings
    let configuration: DaemonConfiguration.Shapley
    /// Noise draws per image of the influence estimator's query gradients.
    let queryDraws: Int
    let logger: Logger

    /// The folder of the pruned models, `shapley/` in the store's folder.
    var prunedModelFolder: URL {
        URL(fileURLWithPath: store.environment.path).appendingPathComponent("shapley")
    }
}

/// How the valuation thread steers a refresh: whether to stop, and where progress goes.
struct RefreshControl {
    /// Whether the refresh should stop after the coalition in flight.
    let shouldStop: () -> Bool
    /// Receives the progress shown in `status.shapley.running`.
    let progress: (ShapleyStatus.Progress) -> Void
    /// Called after each newly evaluated coalition with the number this refresh has evaluated.
    let coalitionEvaluated: (Int) -> Void
}

/// How a refresh ended, short of failing.
enum RefreshOutcome {
    /// Valuations to store, and what remains current.
    case completed(RefreshCompletion)
    /// A stop request ended it after this many new coalitions; they are stored, the job stays queued.
    case interrupted(coalitionsEvaluated: Int)
}

/// What a finished refresh hands back to be written in one transaction.
struct RefreshCompletion {
    /// The checkpoint valued.
    let step: Int
    /// One valuation per property.
    let valuations: [ShapleyValuationRecord]
    /// The game played, with its sampler state updated (nil for the influence estimator).
    let game: ShapleyGameRecord?
    /// What is current now, to delete stale games and pruned models.
    let fingerprints: GameFingerprints
    /// Coalitions evaluated by this refresh.
    let coalitionsEvaluated: Int
    /// Coalitions taken from earlier refreshes.
    let coalitionsReused: Int
}

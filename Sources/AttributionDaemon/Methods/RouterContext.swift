import AttributionStore
import Foundation
import Indexing

/// What the request router reads besides the query service and the probes: the run and store,
/// the limits, and how to ask the other services for their state.
public struct RouterContext: Sendable {
    /// The training run watched.
    public var run: TrainingRun
    /// The store.
    public var store: AttributionStore
    /// The settings the store was indexed with.
    public var settings: IndexSettings
    /// Query and probe limits.
    public var limits: QueryLimits
    /// The daemon's version.
    public var version: String
    /// When the process started.
    public var startedAt: Date
    /// The store's folder.
    public var storeDirectory: String
    /// The ingest service's state now.
    public var ingestStatus: @Sendable () -> IngestStatus
    /// Client connections open now.
    public var openConnections: @Sendable () -> Int

    /// A context with these values.
    public init(run: TrainingRun, store: AttributionStore, settings: IndexSettings, limits: QueryLimits, version: String,
                startedAt: Date, storeDirectory: String, ingestStatus: @escaping @Sendable () -> IngestStatus,
                openConnections: @escaping @Sendable () -> Int) {
        self.run = run
        self.store = store
        self.settings = settings
        self.limits = limits
        self.version = version
        self.startedAt = startedAt
        self.storeDirectory = storeDirectory
        self.ingestStatus = ingestStatus
        self.openConnections = openConnections
    }
}

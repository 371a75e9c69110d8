import AttributionProtocol
import AttributionStore
import Indexing
import Logging
import ServiceLifecycle
import Synchronization

/// Answers attribution queries on the dedicated query thread, one at a time, from a bounded
/// queue (the daemon's second compute lane; ingest has the first).
///
/// `run()` owns the thread: it starts it, and on graceful shutdown (or cancellation) refuses
/// what is still queued with `shuttingDown`, lets the query in flight finish and ends it. Work
/// queued before `run()` starts waits for it.
public final class QueryService: Service, Sendable {
    /// The run whose checkpoints hold the models.
    public let run: TrainingRun
    /// The store queried.
    public let store: AttributionStore
    /// The settings the store was indexed with.
    public let settings: IndexSettings
    /// Queue bound, draws and defaults.
    public let limits: QueryLimits
    private let logger: Logger
    private let thread: QueryThread

    /// A service answering queries over `store`, indexed from `run` with `settings`.
    public init(run: TrainingRun, store: AttributionStore, settings: IndexSettings, limits: QueryLimits, logger: Logger) {
        self.run = run
        self.store = store
        self.settings = settings
        self.limits = limits
        self.logger = logger
        thread = QueryThread(limit: limits.maxQueued) {
            CachedAttributor(run: run, store: store, settings: settings)
        }
    }

    /// Queries waiting for the query thread now (not counting the one it is answering).
    public var queuedQueries: Int { thread.queuedRequests }

    /// Runs `query` on the query thread; its `queryDraws`, when nil, comes from the limits.
    ///
    /// - Returns: Top and bottom examples and contributor totals per sample.
    /// - Throws: `JSONRPCError` `serverBusy` when `maxQueued` queries are already waiting,
    ///   `shuttingDown` after shutdown began, or the query's own error (see `RPCErrorMapping`);
    ///   `CancellationError` when the calling task is cancelled while the query still waits.
    public func attribute(_ query: AttributionQuery) async throws -> AttributeResult {
        var query = query
        query.queryDraws = query.queryDraws ?? limits.queryDraws
        let prepared = query
        return try await perform { try $0.attribute(prepared) }
    }

    /// Runs `work` on the query thread as a request (counted against `maxQueued`), suspending
    /// until it has run; a cancelled caller's work is taken off the queue if it has not started.
    func perform<T: Sendable>(_ work: @escaping @Sendable (CachedAttributor) throws -> T) async throws -> T {
        let ticket = Mutex(Ticket.waiting)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                let id: UInt64
                do {
                    id = try thread.submit(
                        countsAgainstLimit: true, run: { attributor in continuation.resume(with: Result { try work(attributor) }) },
                        refuse: { continuation.resume(throwing: $0) })
                } catch {
                    continuation.resume(throwing: error)
                    return
                }
                let cancelled = ticket.withLock { ticket in
                    defer { ticket = .queued(id) }
                    return ticket == .cancelled
                }
                if cancelled { thread.cancel(id) }
            }
        } onCancel: {
            let queued = ticket.withLock { ticket -> UInt64? in
                defer { ticket = .cancelled }
                if case .queued(let id) = ticket { return id }
                return nil
            }
            if let queued { thread.cancel(queued) }
        }
    }

    /// Queues `work` on the query thread outside the request limit; the caller bounds how much
    /// it queues (the probe monitor keeps at most one such job).
    /// - Returns: false when the service is stopping and the work will not run.
    func performInBackground(_ work: @escaping @Sendable (CachedAttributor) -> Void) -> Bool {
        (try? thread.submit(countsAgainstLimit: false, run: work, refuse: { _ in })) != nil
    }

    /// Runs the query thread until graceful shutdown or cancellation, then drains it.
    public func run() async throws {
        guard thread.start() else {
            logger.warning("the query service was run twice; the second run returns at once")
            return
        }
        logger.debug("query thread started", metadata: ["max_queued": "\(limits.maxQueued)"])
        try? await gracefulShutdown()
        await thread.stop()
        logger.debug("query thread stopped")
    }

    /// Where a request's job is, for its cancellation handler.
    private enum Ticket: Equatable {
        case waiting
        case queued(UInt64)
        case cancelled
    }
}

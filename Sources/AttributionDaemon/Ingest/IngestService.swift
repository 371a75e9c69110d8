import AttributionStore
import Foundation
import Indexing
import Logging
import ServiceLifecycle
import Synchronization

/// Keeps the store in step with a training run while it trains: reconciles the run folder with
/// the store at start-up, on every file event under the folder (coalesced) and every
/// ``IngestPolicy/rescanInterval``, and runs the store's job queue one job at a time on a
/// dedicated ingest thread (heavy compute never runs on the cooperative pool).
///
/// Files are read only once settled (`Indexing.FileSettling`): reported closed or renamed into
/// place by the watcher, or unmodified for ``IngestPolicy/settleInterval``. A reconcile that
/// skips a file still being written schedules the next one for when it would settle.
///
/// Jobs interrupted by the previous stop (even kill -9) are requeued at start-up; every job
/// commits its work and its removal from the queue in one transaction, so nothing is indexed
/// twice or lost. A graceful shutdown (or cancellation) lets the job in flight finish its
/// transaction, then the thread exits and ``run()`` returns.
public final class IngestService: Service, Sendable {
    let run: TrainingRun
    let store: AttributionStore
    let settings: IndexSettings
    let policy: IngestPolicy
    let logger: Logger
    let onCheckpointIndexed: @Sendable (Int) -> Void
    /// Fed by the watcher task, read by the ingest thread.
    let settling: FileSettling
    let requests = IngestRequests()
    let state = Mutex(IngestStatus())

    /// How often the idle ingest thread updates ``IngestStatus/lastActivity``.
    static let heartbeatInterval = Duration.seconds(2)
    /// How long the ingest thread waits after the store failed before trying again.
    static let errorBackoff = Duration.seconds(5)
    /// How long after a file would settle the reconcile that picks it up runs.
    static let settleMargin = Duration.milliseconds(20)

    /// A service ingesting `run` into `store` (built with `settings`) under `policy`.
    ///
    /// - Parameter onCheckpointIndexed: Called on the ingest thread with a checkpoint's step once
    ///   it is indexed (committed), e.g. to re-attribute probes; it should hand the work off and
    ///   return, since ingest waits for it.
    public init(run: TrainingRun, store: AttributionStore, settings: IndexSettings, policy: IngestPolicy, logger: Logger,
                onCheckpointIndexed: @escaping @Sendable (Int) -> Void) {
        self.run = run
        self.store = store
        self.settings = settings
        self.policy = policy
        self.logger = logger
        self.onCheckpointIndexed = onCheckpointIndexed
        self.settling = FileSettling(interval: policy.settleInterval)
    }

    /// Reconciles, starts the `FileWatching.DirectoryWatcher` on the run folder, and runs jobs
    /// on a dedicated ingest thread until graceful shutdown or cancellation; on shutdown the job
    /// in flight finishes its transaction first. Call once.
    public func run() async throws {
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                await withDiscardingTaskGroup { group in
                    group.addTask { await self.watchRunFolder() }
                    await DedicatedThread.run(named: "ingest") { self.runLoop() }
                    group.cancelAll()
                }
            } onCancel: {
                self.requests.requestStop()
            }
        } onGracefulShutdown: {
            self.requests.requestStop()
        }
    }

    /// What ingest is doing now.
    public func status() -> IngestStatus {
        state.withLock { $0 }
    }

    /// Asks for a reconcile now (coalesced with any pending one).
    public func requestRescan() {
        requests.requestRescan()
    }


    /// Records an error in ``IngestStatus/recentErrors`` and logs it.
    func recordError(source: String, _ message: String, level: Logger.Level = .error) {
        logger.log(level: level, "\(source): \(message)")
        state.withLock { $0.record(IngestStatus.ErrorEntry(time: Date(), source: source, message: message)) }
    }
}

import AttributionProtocol
import AttributionStore
import Foundation
import Indexing
import Logging
import ServiceLifecycle
import Synchronization

/// Credits contributors with Shapley values for global properties of the model: takes refresh
/// jobs from the store's persistent FIFO one at a time and runs them on a dedicated valuation
/// thread (the daemon's third compute lane, at a lower scheduling priority than ingest and
/// queries; see ``ValuationThreadPriority``).
///
/// ``refresh(_:)`` only validates and queues, so a request returns at once; an equal job already
/// queued or running is joined instead. A job survives restarts: one left running by a stopped
/// process is queued again at start-up and resumes with every coalition value stored so far. A
/// graceful shutdown (or cancellation) stops the refresh after the coalition in flight, leaves
/// its job queued, and ends the thread.
public final class ValuationService: Service, Sendable {
    /// What every refresh reads (the run, the store, the settings).
    let context: RefreshContext
    var store: AttributionStore { context.store }
    var configuration: DaemonConfiguration.Shapley { context.configuration }
    var logger: Logger { context.logger }
    let signals = ValuationSignals()
    let activity = Mutex<ShapleyStatus.Progress?>(nil)
    /// Called on the valuation thread after each newly evaluated coalition, with the number this
    /// refresh has evaluated; lets tests stop a refresh at a known point.
    let coalitionObserver: (@Sendable (Int) -> Void)?

    /// How long the idle thread waits before looking at the queue again without being woken.
    static let idleInterval = Duration.seconds(5)

    /// A service valuing contributors of `run`, whose index is `store` (built with `settings`).
    ///
    /// - Parameters:
    ///   - configuration: Request defaults and game settings (`[shapley]`).
    ///   - queryDraws: Noise draws per image of the influence estimator's query gradients.
    public convenience init(run: TrainingRun, store: AttributionStore, settings: IndexSettings,
                            configuration: DaemonConfiguration.Shapley, queryDraws: Int, logger: Logger) {
        self.init(run: run, store: store, settings: settings, configuration: configuration, queryDraws: queryDraws,
                  logger: logger, coalitionObserver: nil)
    }

    init(run: TrainingRun, store: AttributionStore, settings: IndexSettings, configuration: DaemonConfiguration.Shapley,
         queryDraws: Int, logger: Logger, coalitionObserver: (@Sendable (Int) -> Void)?) {
        context = RefreshContext(run: run, store: store, settings: settings, configuration: configuration,
                                 queryDraws: queryDraws, logger: logger)
        self.coalitionObserver = coalitionObserver
    }

    /// Validates `params`, then queues a refresh, or joins an equal one queued or running.
    ///
    /// - Throws: `invalidParams` naming the member at fault (unknown property, target outside
    ///   (0, 1], `max_coalitions` below 1, exact enumeration over more than 10 contributors),
    ///   `notIndexed` when no checkpoint is indexed yet, `noContributors` when the indexed
    ///   training shards name no contributor; the store's errors.
    public func refresh(_ params: ShapleyRefreshParams) throws -> ShapleyRefreshResult {
        let request = try RefreshRequest(params, defaults: configuration)
        let contributors = try store.read { transaction in
            guard try store.checkpoints(in: transaction).contains(where: { $0.status == .indexed }) else {
                throw JSONRPCError(.notIndexed, reason: "no checkpoint has been indexed yet; Shapley values are computed at the newest indexed checkpoint")
            }
            return try ValuationData.contributorCount(store: store, in: transaction)
        }
        try request.check(contributors: contributors)
        let (job, joined) = try store.write { transaction in
            if let equal = try store.shapleyJobs(in: transaction).first(where: request.isAnswered(by:)) { return (equal, true) }
            return (try request.enqueue(in: store, transaction: transaction), false)
        }
        if !joined {
            logger.info("Shapley refresh queued", metadata: [
                "job": "\(job.number)", "estimator": "\(request.estimator.rawValue)", "properties": "\(request.properties)",
            ])
            signals.requestWork()
        }
        return request.result(job: job.number, alreadyQueued: joined)
    }

    /// Stored valuations matching `params`: the newest of each property and estimator, or those
    /// of `params.step`.
    /// - Throws: `invalidParams` for an unknown property or a negative step; the store's errors.
    public func valuations(_ params: ShapleyGetParams) throws -> ShapleyGetResult {
        try ValuationListing.list(params, store: store)
    }

    /// The refresh running now, if any.
    public var runningRefresh: ShapleyStatus.Progress? { activity.withLock { $0 } }

    /// The refresh running now, the queue and the last outcome.
    public func status() throws -> ShapleyStatus {
        let running = runningRefresh
        return try store.read { transaction in
            let jobs = try store.shapleyJobs(in: transaction)
            let latest = try store.latestShapleyValuations(in: transaction)
            // A job the thread has just taken counts as queued until its progress is published,
            // so a client polling in between never sees it vanish; a failure names its job.
            let waiting = jobs.count { $0.state == .queued || ($0.state == .running && Int($0.number) != running?.job) }
            let failed = jobs.last { $0.state == .failed }
            return ShapleyStatus(
                running: running, queued: waiting,
                lastCompletedAt: latest.map(\.computedAt.date).max(),
                lastError: failed.map { "job \($0.number): \($0.lastError ?? "unknown error")" })
        }
    }

    /// Runs the valuation thread until graceful shutdown or cancellation; the refresh in flight
    /// stops after its current coalition and stays queued. Call once.
    public func run() async throws {
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                await DedicatedThread.run(named: "valuation") { self.runLoop() }
            } onCancel: {
                self.signals.requestStop()
            }
        } onGracefulShutdown: {
            self.signals.requestStop()
        }
    }

}

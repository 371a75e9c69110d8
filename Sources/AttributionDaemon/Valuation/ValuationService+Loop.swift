import AttributionProtocol
import AttributionStore
import Foundation
import Logging
import Synchronization

extension ValuationService {
    /// The valuation thread: lowers its priority, requeues jobs a stopped process left running,
    /// then takes queued jobs one at a time until a stop is requested.
    func runLoop() {
        if let failure = ValuationThreadPriority.lowerCurrentThread() {
            logger.warning("could not lower the valuation thread's priority; ingest and queries share the cores with it",
                           metadata: ["error": "\(failure)"])
        }
        do {
            let requeued = try store.write { try store.requeueInterruptedShapleyJobs(in: $0) }
            if requeued > 0 { logger.notice("resuming Shapley refreshes interrupted by the last stop", metadata: ["jobs": "\(requeued)"]) }
        } catch {
            logger.error("could not requeue interrupted Shapley refreshes: \(error)")
        }
        let refresher = ShapleyRefresher(context: context)
        while !signals.isStopRequested {
            _ = signals.takeWork()
            let job: ShapleyJobRecord?
            do {
                job = try store.write { try store.takeOldestQueuedShapleyJob(in: $0) }
            } catch {
                logger.error("could not read the Shapley refresh queue: \(error)")
                signals.wait(timeout: Self.idleInterval)
                continue
            }
            guard let job else {
                signals.wait(timeout: Self.idleInterval)
                continue
            }
            perform(job, with: refresher)
        }
        logger.debug("valuation thread stopped")
    }

    /// Runs `job` and records its outcome: valuations written and the job removed, the job
    /// queued again when a stop interrupted it, or the job marked failed with the reason.
    private func perform(_ job: ShapleyJobRecord, with refresher: ShapleyRefresher) {
        let start = ContinuousClock.now
        let control = RefreshControl(
            shouldStop: { [signals] in signals.isStopRequested },
            progress: { progress in self.activity.withLock { $0 = progress } },
            coalitionEvaluated: { [coalitionObserver] count in coalitionObserver?(count) })
        defer { activity.withLock { $0 = nil } }
        do {
            let request = try RefreshRequest(job: job)
            switch try refresher.perform(request, job: job.number, control: control) {
            case .completed(let completion):
                let removed = try complete(job, with: completion)
                refresher.removeStalePrunedModels(keeping: completion.fingerprints.prunedModelFileName)
                logger.info("Shapley refresh finished", metadata: [
                    "job": "\(job.number)", "step": "\(completion.step)", "estimator": "\(request.estimator.rawValue)",
                    "coalitions_evaluated": "\(completion.coalitionsEvaluated)", "coalitions_reused": "\(completion.coalitionsReused)",
                    "stale_games_removed": "\(removed.count)",
                    "seconds": "\(String(format: "%.2f", (ContinuousClock.now - start) / .seconds(1)))",
                ])
            case .interrupted(let evaluated):
                try store.write { transaction in
                    var queued = job
                    queued.state = .queued
                    try store.updateShapleyJob(queued, in: transaction)
                }
                logger.notice("Shapley refresh interrupted; it resumes at the next start with its coalitions kept",
                              metadata: ["job": "\(job.number)", "coalitions_evaluated": "\(evaluated)"])
            }
        } catch {
            fail(job, reason: "\(error)")
        }
    }

    /// Writes the valuations and the game's sampler state, deletes games that are no longer
    /// current and older failed jobs, and removes `job`, in one transaction.
    /// - Returns: The fingerprints of the games deleted.
    private func complete(_ job: ShapleyJobRecord, with completion: RefreshCompletion) throws -> [String] {
        try store.write { transaction in
            for valuation in completion.valuations { try store.putShapleyValuation(valuation, in: transaction) }
            if let game = completion.game { try store.putShapleyGame(game, in: transaction) }
            let current = try store.shapleyGames(in: transaction).filter(completion.fingerprints.isCurrent).map(\.fingerprint)
            let removed = try store.removeShapleyGames(keeping: Set(current), in: transaction)
            for failed in try store.shapleyJobs(in: transaction) where failed.state == .failed && failed.number < job.number {
                try store.removeShapleyJob(number: failed.number, in: transaction)
            }
            try store.removeShapleyJob(number: job.number, in: transaction)
            return removed
        }
    }

    /// Marks `job` failed with `reason` (shown as `status.shapley.last_error`), keeping only the
    /// newest failed job, and logs it; the thread goes on with the next job.
    private func fail(_ job: ShapleyJobRecord, reason: String) {
        logger.error("Shapley refresh failed", metadata: ["job": "\(job.number)", "error": "\(reason)"])
        do {
            try store.write { transaction in
                for older in try store.shapleyJobs(in: transaction) where older.state == .failed && older.number < job.number {
                    try store.removeShapleyJob(number: older.number, in: transaction)
                }
                try store.failShapleyJob(number: job.number, error: reason, in: transaction)
            }
        } catch {
            logger.error("could not mark Shapley refresh \(job.number) failed: \(error)")
        }
    }
}

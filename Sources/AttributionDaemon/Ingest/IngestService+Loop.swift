import AttributionStore
import Foundation
import Indexing
import Logging
import Synchronization

extension IngestService {
    /// What one turn of the loop found.
    private enum Turn {
        case ranJob, idle, storeFailed
    }

    /// The ingest thread: requeue interrupted jobs, then loop — reconcile when asked or due,
    /// else run the next job, else wait for a request — until a stop is requested. A reconcile
    /// is due every rescan interval, and sooner when a file it skipped would settle.
    func runLoop() {
        let indexer = Indexer(run: run, store: store, settings: settings, retainCheckpoints: policy.retainCheckpoints,
                              jobAttempts: policy.jobAttempts, settling: settling, events: { event in self.handle(event) })
        do {
            let requeued = try store.write { try store.requeueInterruptedJobs(in: $0) }
            if requeued > 0 { logger.notice("requeued jobs interrupted by the last stop", metadata: ["jobs": "\(requeued)"]) }
        } catch {
            recordError(source: "queue", "\(error)")
        }
        var nextRescan = ContinuousClock.now
        while !requests.isStopRequested {
            beat()
            if requests.takeRescan() || ContinuousClock.now >= nextRescan {
                nextRescan = .now + policy.rescanInterval
                if let settles = reconcile(indexer) { nextRescan = min(nextRescan, settles) }
                continue
            }
            switch runNextJob(indexer) {
            case .ranJob: continue
            case .idle: requests.wait(timeout: min(nextRescan - .now, Self.heartbeatInterval))
            case .storeFailed: requests.wait(timeout: Self.errorBackoff)
            }
        }
        beat()
        logger.info("ingest stopped")
    }

    /// Reconciles; returns when a file it skipped as still being written settles, if any was.
    private func reconcile(_ indexer: Indexer) -> ContinuousClock.Instant? {
        var settles: Date?
        do {
            settles = try indexer.reconcile()
        } catch {
            recordError(source: "reconcile", "\(error)")
        }
        refreshQueueCounts()
        guard let settles else { return nil }
        logger.debug("waiting for files still being written", metadata: ["settled_at": "\(settles)"])
        // A little after the moment itself, so that the file has surely settled by then.
        let delay = Duration.milliseconds(Int64((max(0, settles.timeIntervalSinceNow) * 1000).rounded(.up))) + Self.settleMargin
        return .now + delay
    }

    private func runNextJob(_ indexer: Indexer) -> Turn {
        let job: IndexingJob
        do {
            guard let next = try indexer.takeNextJob() else { return .idle }
            job = next
        } catch {
            recordError(source: "queue", "\(error)")
            return .storeFailed
        }
        let start = ContinuousClock.now
        state.withLock {
            $0.running = IngestStatus.RunningJob(kind: job.kind.statusName, step: job.step, shard: job.shardFile, startedAt: Date())
        }
        let outcome: IndexingJobOutcome
        do {
            outcome = try indexer.perform(job)
        } catch {
            state.withLock { $0.running = nil }
            recordError(source: job.source, "\(error)")
            // The job stays running in the store: put it back for the next try.
            do { try store.write { _ = try store.requeueInterruptedJobs(in: $0) } } catch { recordError(source: "queue", "\(error)") }
            return .storeFailed
        }
        let seconds = (ContinuousClock.now - start) / .seconds(1)
        state.withLock { status in
            status.running = nil
            if outcome.isFinished { status.jobsCompleted += 1 }
            if case .shardIndexed(let examples) = outcome { status.examplesIndexed += examples }
        }
        log(job, outcome, seconds: seconds)
        refreshQueueCounts()
        return .ranJob
    }

    private func log(_ job: IndexingJob, _ outcome: IndexingJobOutcome, seconds: Double) {
        var metadata: Logger.Metadata = ["step": "\(job.step)", "seconds": "\(String(format: "%.2f", seconds))"]
        if let shard = job.shardFile { metadata["shard"] = "\(shard)" }
        switch outcome {
        case .shardIndexed(let examples), .checkpointIndexed(let examples):
            metadata["examples"] = "\(examples)"
            metadata["examples_per_second"] = "\(String(format: "%.1f", Double(examples) / max(seconds, 1e-9)))"
            logger.info(job.kind == .indexShard ? "indexed shard" : "finished checkpoint", metadata: metadata)
        case .skipped: logger.debug("job had nothing left to do", metadata: metadata)
        case .deferred: logger.debug("checkpoint waits for its shard jobs", metadata: metadata)
        case .shardRejected, .checkpointFailed, .failed: break  // reported by their events
        }
    }

    /// Updates the queue counts from the store (kept when the store cannot be read).
    private func refreshQueueCounts() {
        guard let jobs = try? store.read({ try store.jobs(in: $0) }) else { return }
        state.withLock { status in
            status.pendingJobs = jobs.count { $0.state == .pending }
            status.failedJobs = jobs.count { $0.state == .failed }
        }
    }

    /// The heartbeat.
    private func beat() {
        state.withLock { $0.lastActivity = Date() }
    }
}

extension JobRecord.Kind {
    /// The kind's name in status: `index_shard` or `finish_checkpoint`.
    var statusName: String {
        switch self {
        case .indexShard: "index_shard"
        case .finishCheckpoint: "finish_checkpoint"
        }
    }
}

extension IndexingJob {
    /// How errors name the job: its kind, checkpoint and shard.
    var source: String {
        "job \(kind.statusName) checkpoint \(step)" + (shardFile.map { " shard \($0)" } ?? "")
    }
}

import Attribution
import AttributionStore
import Foundation
import LMDB

extension Indexer {
    /// Runs a job taken with ``takeNextJob(steps:)`` and settles it in the queue:
    /// - done (or nothing left to do): removed, in the transaction that stores its work;
    /// - its checkpoint cannot be loaded: the checkpoint is marked failed with the reason, its
    ///   indexed data and jobs dropped;
    /// - its shard cannot be read or does not fit the model: the shard is marked rejected with
    ///   the reason, its examples, gradients and jobs dropped;
    /// - any other error: retried (back to pending) until ``jobAttempts`` tries, then kept in the
    ///   queue as failed.
    ///
    /// - Throws: Only when the outcome itself cannot be recorded (a storage failure).
    @discardableResult
    public func perform(_ job: IndexingJob) throws -> IndexingJobOutcome {
        do {
            switch job.kind {
            case .indexShard: return try indexShard(job)
            case .finishCheckpoint: return try finishCheckpoint(job)
            }
        } catch let error as IndexingError {
            if case .unreadableCheckpoint(let step, _) = error {
                try failCheckpoint(step: step, reason: "\(error)")
                return .checkpointFailed
            }
            if error.isShardUnusable, let ordinal = job.shardOrdinal {
                try rejectShard(ordinal: ordinal, file: job.shardFile, reason: "\(error)")
                return .shardRejected
            }
            return try fail(job, reason: "\(error)", retry: job.attempt < jobAttempts)
        } catch {
            return try fail(job, reason: "\(error)", retry: job.attempt < jobAttempts)
        }
    }

    private func indexShard(_ job: IndexingJob) throws -> IndexingJobOutcome {
        let step = UInt64(job.step)
        let (checkpoint, shard, open) = try store.read { transaction in
            (try store.checkpoint(step: step, in: transaction),
             try job.shardOrdinal.flatMap { try store.shard(ordinal: $0, in: transaction) },
             try store.jobs(in: transaction).count { $0.step == step && $0.kind == .indexShard && $0.state != .failed })
        }
        let unit = ShardIndexing(run: run, store: store, settings: settings)
        guard let checkpoint, checkpoint.status.isLive, let shard, shard.status == .accepted, !shard.isHeldOut,
              try !unit.isDone(step: job.step, shard: shard.ordinal) else {
            return try skip(job)
        }
        let loaded = try self.checkpoint(step: job.step)
        if checkpoint.status == .registered {
            var indexing = checkpoint
            indexing.status = .indexing
            try store.write { try store.putCheckpoint(indexing, in: $0) }
            events(.checkpointStarted(step: job.step, pendingShards: open))
        }
        let start = ContinuousClock.now
        guard let examples = try unit.index(shard, at: loaded, completing: job.sequence) else { return .skipped }
        events(.shardIndexed(step: job.step, file: shard.fileName, examples: examples,
                             seconds: (ContinuousClock.now - start) / .seconds(1)))
        return .shardIndexed(examples: examples)
    }

    private func finishCheckpoint(_ job: IndexingJob) throws -> IndexingJobOutcome {
        let step = UInt64(job.step)
        guard let checkpoint = try store.read({ try store.checkpoint(step: step, in: $0) }), checkpoint.status.isLive else {
            return try skip(job)
        }
        let missing = try finishing.missingShards(step: job.step)
        if !missing.isEmpty {
            let waiting = Set(try store.read { try store.jobs(in: $0) }
                .filter { $0.step == step && $0.kind == .indexShard && $0.state != .failed }.compactMap(\.shard))
            guard missing.contains(where: { waiting.contains($0.ordinal) }) else {
                let names = missing.map(\.fileName).joined(separator: ", ")
                return try fail(job, reason: "checkpoint \(job.step) lacks shard(s) \(names), whose jobs failed or are missing",
                                retry: false)
            }
            // Its shards' jobs are still queued: go back behind them.
            try store.write { transaction in
                try store.completeJob(sequence: job.sequence, in: transaction)
                try store.enqueueJob(.finishCheckpoint, step: step, in: transaction)
            }
            return .deferred
        }
        let loaded = try self.checkpoint(step: job.step)
        let finished = try finishing.finish(step: job.step, path: checkpoint.path, layout: loaded.engine.layout, completing: job.sequence)
        events(.checkpointIndexed(step: job.step, examples: finished.examples))
        for retired in finished.retired {
            forgetCheckpoint(step: Int(retired))
            events(.checkpointRetired(step: Int(retired)))
        }
        return .checkpointIndexed(examples: finished.examples)
    }

    private func skip(_ job: IndexingJob) throws -> IndexingJobOutcome {
        try store.write { try store.completeJob(sequence: job.sequence, in: $0) }
        return .skipped
    }

    private func fail(_ job: IndexingJob, reason: String, retry: Bool) throws -> IndexingJobOutcome {
        try store.write { _ = try store.failJob(sequence: job.sequence, error: reason, retry: retry, in: $0) }
        events(.jobFailed(job: job, reason: reason, willRetry: retry))
        return .failed(willRetry: retry)
    }

    /// Marks the checkpoint failed and drops its indexed data and every job of it.
    private func failCheckpoint(step: Int, reason: String) throws {
        let key = UInt64(step)
        try store.write { transaction in
            let existing = try store.checkpoint(step: key, in: transaction)
            try store.putCheckpoint(CheckpointRecord(
                step: key, path: existing?.path ?? run.checkpointFolder(step: step).path, status: .failed(reason: reason),
                registeredAt: existing?.registeredAt ?? .now()), in: transaction)
            try store.removeIndexedData(step: key, in: transaction)
            try store.removeJobs(in: transaction) { $0.step == key }
        }
        forgetCheckpoint(step: step)
        planner.noteFailure(step: step)
        events(.checkpointFailed(step: step, reason: reason))
    }

    /// Marks the shard rejected and drops its examples, what it contributed at every checkpoint
    /// (except factor evidence already summed) and every job of it.
    private func rejectShard(ordinal: UInt32, file: String?, reason: String) throws {
        try store.write { transaction in
            if var record = try store.shard(ordinal: ordinal, in: transaction) {
                record.status = .rejected(reason: reason)
                record.exampleCount = 0
                try store.putShard(record, in: transaction)
            }
            try store.removeShardData(ordinal: ordinal, in: transaction)
            try store.removeJobs(in: transaction) { $0.shard == ordinal }
        }
        events(.shardRejected(file: file ?? "#\(ordinal)", reason: reason))
    }
}

extension IndexingError {
    /// The shard's file cannot be read, or its images do not fit the model.
    var isShardUnusable: Bool {
        switch self {
        case .unreadableShard, .imageShapeMismatch: true
        default: false
        }
    }
}

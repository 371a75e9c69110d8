import AttributionProtocol
import AttributionStore
import Foundation
import Indexing

/// The `status` method: the store's contents, the ingest queue and the process, in one answer.
enum StatusReport {
    /// The status now, with the valuation service's part when there is one.
    static func make(context: RouterContext, shapley: ShapleyStatus? = nil, now: Date = Date()) throws -> StatusResult {
        let ingest = context.ingestStatus()
        let (checkpoints, shards, probes) = try context.store.read { transaction in
            (try context.store.checkpoints(in: transaction), try context.store.shards(in: transaction),
             try context.store.probeCount(in: transaction))
        }
        return StatusResult(
            version: context.version, startedAt: context.startedAt, uptimeSeconds: now.timeIntervalSince(context.startedAt),
            runDirectory: context.run.folder.path, storeDirectory: context.storeDirectory,
            checkpoints: counts(of: checkpoints), examples: counts(of: shards),
            backlog: StatusResult.Backlog(
                pendingJobs: ingest.pendingJobs, failedJobs: ingest.failedJobs, completedJobs: ingest.jobsCompleted,
                running: ingest.running.map { job in
                    StatusResult.RunningJob(kind: job.kind, step: job.step, shard: job.shard, startedAt: job.startedAt)
                }),
            errors: errors(checkpoints: checkpoints, shards: shards, recent: ingest.recentErrors),
            probes: probes, connections: context.openConnections(), shapley: shapley)
    }

    /// Checkpoint counts by state; registered ones count as indexing (they wait in the queue).
    static func counts(of checkpoints: [CheckpointRecord]) -> StatusResult.Checkpoints {
        var result = StatusResult.Checkpoints(known: checkpoints.count, indexed: 0, indexing: 0, failed: 0, retired: 0, latestIndexed: nil)
        for checkpoint in checkpoints {
            switch checkpoint.status {
            case .registered, .indexing: result.indexing += 1
            case .indexed:
                result.indexed += 1
                result.latestIndexed = max(result.latestIndexed ?? 0, Int(checkpoint.step))
            case .failed: result.failed += 1
            case .retired: result.retired += 1
            }
        }
        return result
    }

    /// Example and shard counts.
    static func counts(of shards: [ShardRecord]) -> StatusResult.Examples {
        var result = StatusResult.Examples(training: 0, heldOut: 0, shardsAccepted: 0, shardsRejected: 0)
        for shard in shards {
            switch shard.status {
            case .accepted:
                result.shardsAccepted += 1
                if shard.isHeldOut { result.heldOut += Int(shard.exampleCount) } else { result.training += Int(shard.exampleCount) }
            case .rejected: result.shardsRejected += 1
            }
        }
        return result
    }

    /// The store's lasting problems (rejected shards, failed checkpoints), then this process's
    /// recent errors; a lasting problem this process also reported is listed once, with its time.
    static func errors(checkpoints: [CheckpointRecord], shards: [ShardRecord],
                       recent: [IngestStatus.ErrorEntry]) -> [StatusResult.ErrorEntry] {
        var lasting: [StatusResult.ErrorEntry] = []
        for shard in shards {
            if case .rejected(let reason) = shard.status {
                lasting.append(StatusResult.ErrorEntry(time: nil, source: shard.fileName, message: reason))
            }
        }
        for checkpoint in checkpoints {
            if case .failed(let reason) = checkpoint.status {
                lasting.append(StatusResult.ErrorEntry(time: nil, source: "checkpoint \(checkpoint.step)", message: reason))
            }
        }
        let recentMessages = Set(recent.map(\.message))
        return lasting.filter { !recentMessages.contains($0.message) }
            + recent.map { StatusResult.ErrorEntry(time: $0.time, source: $0.source, message: $0.message) }
    }
}

import Indexing
import Logging

extension IngestService {
    /// Logs what the indexer reports; errors also go to ``IngestStatus/recentErrors``, and an
    /// indexed checkpoint to `onCheckpointIndexed`. Called on the ingest thread.
    func handle(_ event: IndexingEvent) {
        switch event {
        case .shardAccepted(let file, let examples, let isHeldOut):
            logger.info("shard registered", metadata: ["shard": "\(file)", "examples": "\(examples)", "held_out": "\(isHeldOut)"])
        case .shardRejected(let file, let reason):
            recordError(source: "shard \(file)", reason)
        case .checkpointRegistered(let step):
            logger.info("checkpoint registered", metadata: ["step": "\(step)"])
        case .checkpointStarted(let step, let pendingShards):
            logger.info("indexing checkpoint", metadata: ["step": "\(step)", "shards": "\(pendingShards)"])
        case .shardIndexed:
            break  // logged with its job
        case .checkpointIndexed(let step, let examples):
            logger.notice("checkpoint indexed", metadata: ["step": "\(step)", "examples": "\(examples)"])
            onCheckpointIndexed(step)
        case .checkpointFailed(let step, let reason):
            recordError(source: "checkpoint \(step)", reason)
        case .checkpointRetired(let step):
            logger.info("checkpoint retired", metadata: ["step": "\(step)"])
        case .jobsQueued(let count):
            logger.info("jobs queued", metadata: ["jobs": "\(count)"])
        case .jobFailed(let job, let reason, let willRetry):
            let attempts = "attempt \(job.attempt) of \(policy.jobAttempts)"
            recordError(source: job.source, "\(reason) (\(attempts)\(willRetry ? ", will retry" : ", kept as failed"))",
                        level: willRetry ? .warning : .error)
        }
    }
}

/// What the indexer did, reported as it happens (to print progress or to log).
public enum IndexingEvent: Sendable {
    /// A shard file was registered with its examples.
    case shardAccepted(file: String, examples: Int, isHeldOut: Bool)
    /// A shard file was refused, when registered or when it could not be read at indexing time;
    /// it is recorded and skipped.
    case shardRejected(file: String, reason: String)
    /// A complete checkpoint folder loaded and was recorded for indexing.
    case checkpointRegistered(step: Int)
    /// Indexing of a checkpoint started, with the shards it needs.
    case checkpointStarted(step: Int, pendingShards: Int)
    /// One shard's gradients and curvature were stored at a checkpoint.
    case shardIndexed(step: Int, file: String, examples: Int, seconds: Double)
    /// Every accepted training shard is indexed at the checkpoint, and self-influence is stored.
    case checkpointIndexed(step: Int, examples: Int)
    /// The checkpoint could not be indexed; it is recorded as failed.
    case checkpointFailed(step: Int, reason: String)
    /// The retention policy retired the checkpoint: its indexed data is deleted.
    case checkpointRetired(step: Int)
    /// Reconciling the run's files with the store queued this many jobs.
    case jobsQueued(count: Int)
    /// A job threw; it is retried when `willRetry`, else kept in the queue as failed.
    case jobFailed(job: IndexingJob, reason: String, willRetry: Bool)
}

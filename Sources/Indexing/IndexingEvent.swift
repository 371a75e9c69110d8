/// What the indexer did, reported as it happens (to print progress or to log).
public enum IndexingEvent: Sendable {
    /// A shard file was registered with its examples.
    case shardAccepted(file: String, examples: Int, isHeldOut: Bool)
    /// A shard file was refused; it is recorded and skipped.
    case shardRejected(file: String, reason: String)
    /// Indexing of a checkpoint started or resumed, with the shards it still needs.
    case checkpointStarted(step: Int, pendingShards: Int)
    /// One shard's gradients and curvature were stored at a checkpoint.
    case shardIndexed(step: Int, file: String, examples: Int, seconds: Double)
    /// Every accepted training shard is indexed at the checkpoint, and self-influence is stored.
    case checkpointIndexed(step: Int, examples: Int)
    /// The checkpoint could not be indexed; it is recorded as failed.
    case checkpointFailed(step: Int, reason: String)
}

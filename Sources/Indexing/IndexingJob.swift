import AttributionStore

/// A job taken from the store's queue to run, with the shard file it names.
public struct IndexingJob: Sendable, Equatable {
    /// The job's sequence number in the queue.
    public let sequence: UInt64
    /// Index one shard at one checkpoint, or finish a checkpoint.
    public let kind: JobRecord.Kind
    /// The checkpoint's training step.
    public let step: Int
    /// The shard's ordinal, for shard jobs.
    public let shardOrdinal: UInt32?
    /// The shard's file name, for shard jobs whose shard is still registered.
    public let shardFile: String?
    /// Which attempt this is (1 for the first).
    public let attempt: Int

    /// The job as taken from its record.
    init(record: JobRecord, shardFile: String?) {
        sequence = record.sequence
        kind = record.kind
        step = Int(record.step)
        shardOrdinal = record.shard
        self.shardFile = shardFile
        attempt = Int(record.attempts)
    }
}

/// What running one job did.
public enum IndexingJobOutcome: Sendable, Equatable {
    /// A shard's gradients and curvature evidence were stored at the checkpoint.
    case shardIndexed(examples: Int)
    /// The checkpoint was marked indexed with this many examples' self-influence.
    case checkpointIndexed(examples: Int)
    /// Nothing was left to do (already done, or its checkpoint or shard is gone).
    case skipped
    /// The checkpoint still has shards to index; the finish job went back to the end of the queue.
    case deferred
    /// The shard could not be read or does not fit the model, and is now rejected.
    case shardRejected
    /// The checkpoint could not be loaded, and is now failed.
    case checkpointFailed
    /// The job threw; it is retried when `willRetry`, else kept in the queue as failed.
    case failed(willRetry: Bool)

    /// Whether the job left the queue (it did not fail).
    public var isFinished: Bool {
        if case .failed = self { false } else { true }
    }
}

import LMDB

/// How far indexing of one checkpoint got, summed over its shards' progress records.
public struct CheckpointProgress: Sendable, Hashable {
    /// The checkpoint's training step.
    public var step: UInt64
    /// Shards whose gradient blocks are stored.
    public var shardsWithGradients: Int
    /// Shards whose factor contributions are accumulated.
    public var shardsWithFactors: Int
    /// Examples indexed, over all shards.
    public var examplesIndexed: UInt64

    /// A checkpoint's progress.
    public init(step: UInt64, shardsWithGradients: Int, shardsWithFactors: Int, examplesIndexed: UInt64) {
        self.step = step
        self.shardsWithGradients = shardsWithGradients
        self.shardsWithFactors = shardsWithFactors
        self.examplesIndexed = examplesIndexed
    }
}

extension AttributionStore {
    /// The progress of shard `shard` at checkpoint `step`; `nil` when nothing of it is stored.
    public func progress<A>(step: UInt64, shard: UInt32, in transaction: borrowing Transaction<A>) throws -> ProgressRecord? {
        try transaction.record(ProgressRecord.self, key: StoreKey.step(step, shard), in: databases.progress)
    }

    /// Every shard's progress at checkpoint `step`, by shard.
    public func progress<A>(ofCheckpoint step: UInt64, in transaction: borrowing Transaction<A>) throws -> [ProgressRecord] {
        try transaction.records(ProgressRecord.self, in: databases.progress, range: .prefix(StoreKey.step(step)))
    }

    /// Stores `record`; write it in the transaction that stores the work it describes.
    public func putProgress(_ record: ProgressRecord, in transaction: borrowing WriteTransaction) throws {
        try transaction.put(record, in: databases.progress)
    }

    /// Removes the progress of shard `shard` at checkpoint `step` (before indexing it again).
    /// - Returns: `false` when there was none.
    @discardableResult
    public func removeProgress(step: UInt64, shard: UInt32, in transaction: borrowing WriteTransaction) throws -> Bool {
        try transaction.delete(forKey: StoreKey.step(step, shard), in: databases.progress)
    }

    /// Removes every shard's progress at checkpoint `step`.
    /// - Returns: The number of records removed.
    @discardableResult
    public func removeProgress(ofCheckpoint step: UInt64, in transaction: borrowing WriteTransaction) throws -> Int {
        try transaction.deleteAll(in: databases.progress, range: .prefix(StoreKey.step(step)))
    }

    /// The progress of checkpoint `step`, summed over its shards.
    public func checkpointProgress<A>(step: UInt64, in transaction: borrowing Transaction<A>) throws -> CheckpointProgress {
        let records = try progress(ofCheckpoint: step, in: transaction)
        return CheckpointProgress(
            step: step,
            shardsWithGradients: records.count { $0.gradientsDone },
            shardsWithFactors: records.count { $0.factorsDone },
            examplesIndexed: records.reduce(0) { $0 + $1.examplesIndexed }
        )
    }
}

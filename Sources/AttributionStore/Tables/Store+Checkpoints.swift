import LMDB

extension AttributionStore {
    /// The checkpoint saved at `step`.
    public func checkpoint<A>(step: UInt64, in transaction: borrowing Transaction<A>) throws -> CheckpointRecord? {
        try transaction.record(CheckpointRecord.self, key: StoreKey.step(step), in: databases.checkpoints)
    }

    /// Every checkpoint, by step.
    public func checkpoints<A>(in transaction: borrowing Transaction<A>) throws -> [CheckpointRecord] {
        try transaction.records(CheckpointRecord.self, in: databases.checkpoints)
    }

    /// Stores `record`, replacing the checkpoint at its step.
    public func putCheckpoint(_ record: CheckpointRecord, in transaction: borrowing WriteTransaction) throws {
        try transaction.put(record, in: databases.checkpoints)
    }
}

import LMDB

extension AttributionStore {
    /// The self-influence of example `id` at checkpoint `step`.
    public func selfInfluence<A>(step: UInt64, example id: Int64, in transaction: borrowing Transaction<A>) throws -> Float? {
        try transaction.record(
            SelfInfluenceRecord.self, key: StoreKey.step(step, identifier: id), in: databases.selfInfluence
        )?.value
    }

    /// Every example's self-influence at checkpoint `step`, by example id.
    public func selfInfluences<A>(step: UInt64, in transaction: borrowing Transaction<A>) throws -> [SelfInfluenceRecord] {
        try transaction.records(SelfInfluenceRecord.self, in: databases.selfInfluence, range: .prefix(StoreKey.step(step)))
    }

    /// Stores `record`, replacing the value of its example and step.
    public func putSelfInfluence(_ record: SelfInfluenceRecord, in transaction: borrowing WriteTransaction) throws {
        try transaction.put(record, in: databases.selfInfluence)
    }

    /// Removes every example's self-influence at checkpoint `step`.
    /// - Returns: The number of records removed.
    @discardableResult
    public func removeSelfInfluences(step: UInt64, in transaction: borrowing WriteTransaction) throws -> Int {
        try transaction.deleteAll(in: databases.selfInfluence, range: .prefix(StoreKey.step(step)))
    }

    /// Removes the self-influence of example `id` at checkpoint `step`.
    /// - Returns: `false` when there was none.
    @discardableResult
    public func removeSelfInfluence(step: UInt64, example id: Int64, in transaction: borrowing WriteTransaction) throws -> Bool {
        try transaction.delete(forKey: StoreKey.step(step, identifier: id), in: databases.selfInfluence)
    }
}

import LMDB

extension AttributionStore {
    /// The factor record of `layer` at checkpoint `step`.
    public func factor<A>(step: UInt64, layer: UInt32, in transaction: borrowing Transaction<A>) throws -> FactorRecord? {
        try transaction.record(FactorRecord.self, key: StoreKey.step(step, layer), in: databases.factors)
    }

    /// Every layer's factor record at checkpoint `step`, by layer.
    public func factors<A>(step: UInt64, in transaction: borrowing Transaction<A>) throws -> [FactorRecord] {
        try transaction.records(FactorRecord.self, in: databases.factors, range: .prefix(StoreKey.step(step)))
    }

    /// Stores `record`, replacing the one of its layer and step.
    public func putFactor(_ record: FactorRecord, in transaction: borrowing WriteTransaction) throws {
        try transaction.put(record, in: databases.factors)
    }

    /// Removes every layer's factor record at checkpoint `step`.
    /// - Returns: The number of records removed.
    @discardableResult
    public func removeFactors(step: UInt64, in transaction: borrowing WriteTransaction) throws -> Int {
        try transaction.deleteAll(in: databases.factors, range: .prefix(StoreKey.step(step)))
    }
}

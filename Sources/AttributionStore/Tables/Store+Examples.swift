import LMDB

extension AttributionStore {
    /// The example with `id`; check it before registering a shard, to detect ids that another
    /// shard already uses.
    public func example<A>(id: Int64, in transaction: borrowing Transaction<A>) throws -> ExampleRecord? {
        try transaction.record(ExampleRecord.self, key: StoreKey.identifier(id), in: databases.examples)
    }

    /// Every example, by id.
    public func examples<A>(in transaction: borrowing Transaction<A>) throws -> [ExampleRecord] {
        try transaction.records(ExampleRecord.self, in: databases.examples)
    }

    /// Every example of shard `ordinal`, by id (a scan of all examples).
    public func examples<A>(inShard ordinal: UInt32, in transaction: borrowing Transaction<A>) throws -> [ExampleRecord] {
        try examples(in: transaction).filter { $0.shard == ordinal }
    }

    /// Stores `record`, replacing the example with its id.
    public func putExample(_ record: ExampleRecord, in transaction: borrowing WriteTransaction) throws {
        try transaction.put(record, in: databases.examples)
    }

    /// Removes the example with `id`.
    /// - Returns: `false` when there was none.
    @discardableResult
    public func removeExample(id: Int64, in transaction: borrowing WriteTransaction) throws -> Bool {
        try transaction.delete(forKey: StoreKey.identifier(id), in: databases.examples)
    }

    /// Removes every example of shard `ordinal` (a scan of all examples).
    /// - Returns: The ids removed.
    @discardableResult
    public func removeExamples(inShard ordinal: UInt32, in transaction: borrowing WriteTransaction) throws -> [Int64] {
        let ids = try examples(inShard: ordinal, in: transaction).map(\.id)
        for id in ids { try removeExample(id: id, in: transaction) }
        return ids
    }

    /// The contributor with `id`.
    public func contributor<A>(id: Int64, in transaction: borrowing Transaction<A>) throws -> ContributorRecord? {
        try transaction.record(ContributorRecord.self, key: StoreKey.identifier(id), in: databases.contributors)
    }

    /// Every contributor, by id.
    public func contributors<A>(in transaction: borrowing Transaction<A>) throws -> [ContributorRecord] {
        try transaction.records(ContributorRecord.self, in: databases.contributors)
    }

    /// Stores `record`, replacing the contributor with its id.
    public func putContributor(_ record: ContributorRecord, in transaction: borrowing WriteTransaction) throws {
        try transaction.put(record, in: databases.contributors)
    }
}

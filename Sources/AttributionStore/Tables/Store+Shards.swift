import LMDB

extension AttributionStore {
    /// The shard with `ordinal`.
    public func shard<A>(ordinal: UInt32, in transaction: borrowing Transaction<A>) throws -> ShardRecord? {
        try transaction.record(ShardRecord.self, key: StoreKey.ordinal(ordinal), in: databases.shards)
    }

    /// The shard whose file is called `fileName`.
    public func shard<A>(named fileName: String, in transaction: borrowing Transaction<A>) throws -> ShardRecord? {
        guard let ordinal = try ordinal(ofShardNamed: fileName, in: transaction) else { return nil }
        return try shard(ordinal: ordinal, in: transaction)
    }

    /// Every shard, by ordinal.
    public func shards<A>(in transaction: borrowing Transaction<A>) throws -> [ShardRecord] {
        try transaction.records(ShardRecord.self, in: databases.shards)
    }

    /// The ordinal a new shard gets: one past the largest in use, 0 for the first.
    public func nextShardOrdinal<A>(in transaction: borrowing Transaction<A>) throws -> UInt32 {
        var last: UInt32?
        try transaction.forEach(in: databases.shards, reverse: true) { entry in
            var reader = RecordReader(entry.key, record: ShardRecord.recordName, part: "key")
            last = try reader.readBigEndian(UInt32.self)
            return .stop
        }
        guard let last else { return 0 }
        guard last < .max else { throw AttributionStoreError.shardOrdinalsExhausted }
        return last + 1
    }

    /// Stores `record` and indexes its file name; a shard renamed under the same ordinal loses
    /// its old name.
    /// - Throws: ``AttributionStoreError/duplicateShardName(name:existingOrdinal:)`` when another
    ///   ordinal already has this file name.
    public func putShard(_ record: ShardRecord, in transaction: borrowing WriteTransaction) throws {
        let nameKey = Array(record.fileName.utf8)
        if let existing = try ordinal(ofShardNamed: record.fileName, in: transaction), existing != record.ordinal {
            throw AttributionStoreError.duplicateShardName(name: record.fileName, existingOrdinal: existing)
        }
        if let previous = try shard(ordinal: record.ordinal, in: transaction), previous.fileName != record.fileName {
            try transaction.delete(forKey: Array(previous.fileName.utf8), in: databases.shardNames)
        }
        try transaction.put(record, in: databases.shards)
        try transaction.put(StoreKey.ordinal(record.ordinal), forKey: nameKey, in: databases.shardNames)
    }

    private func ordinal<A>(ofShardNamed fileName: String, in transaction: borrowing Transaction<A>) throws -> UInt32? {
        try transaction.withValue(forKey: Array(fileName.utf8), in: databases.shardNames) { value in
            var reader = RecordReader(value, record: "shardName", part: "value")
            let ordinal = try reader.readBigEndian(UInt32.self)
            try reader.finish()
            return ordinal
        }
    }
}

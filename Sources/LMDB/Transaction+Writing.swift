import CLMDB

/// Options for ``Transaction/put(_:forKey:in:flags:)``.
public struct PutFlags: OptionSet, Sendable, Hashable {
    /// The raw `mdb_put` flags.
    public let rawValue: UInt32

    /// Creates flags from raw `mdb_put` flags.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Leave an existing value alone: `put` then returns `false`. The corresponding C constant
    /// is `MDB_NOOVERWRITE`.
    public static let noOverwrite = PutFlags(rawValue: UInt32(MDB_NOOVERWRITE))
    /// The key is greater than every key in the database: a fast append (out-of-order keys fail
    /// with `.keyExists`). The corresponding C constant is `MDB_APPEND`.
    public static let append = PutFlags(rawValue: UInt32(MDB_APPEND))
}

extension Transaction where Access == ReadWrite {
    /// Stores `value` under `key`, replacing any value already there.
    /// - Parameters:
    ///   - value: The bytes to store.
    ///   - key: The key, 1 to ``Environment/maximumKeySize`` bytes.
    ///   - database: The database to write to.
    ///   - flags: Put options.
    /// - Returns: `false` when ``PutFlags/noOverwrite`` kept an existing value, else `true`.
    /// - Throws: ``LMDBError`` (`.mapFull` makes the environment grow the map and run the
    ///   transaction again).
    @discardableResult
    public func put(_ value: [UInt8], forKey key: [UInt8], in database: Database, flags: PutFlags = []) throws(LMDBError) -> Bool {
        let stored = withMDBValue(of: key) { key in
            withMDBValue(of: value) { value in mdb_put(handle, database.handle, &key, &value, flags.rawValue) }
        }
        return try finishPut(stored, flags: flags, database: database)
    }

    /// Reserves `count` bytes under `key` and lets `fill` write the value in place
    /// (`MDB_RESERVE`), so a large value is written straight into the map without an
    /// intermediate copy.
    ///
    /// The buffer is only as aligned as LMDB places it: values that fit in a leaf page are
    /// 2-byte aligned; larger values (overflow pages) start 16 bytes into a page. If `fill`
    /// throws, the key is removed again before the error propagates.
    /// - Parameters:
    ///   - count: The value's size in bytes.
    ///   - key: The key.
    ///   - database: The database to write to (not a ``Database/Flags/duplicateSort`` one).
    ///   - flags: Put options.
    ///   - fill: Writes every byte of the value.
    /// - Returns: `false` when ``PutFlags/noOverwrite`` kept an existing value (and `fill` was
    ///   not called), else `true`.
    /// - Throws: What `fill` throws, or ``LMDBError``.
    @discardableResult
    public func put(
        reservingCount count: Int,
        forKey key: [UInt8],
        in database: Database,
        flags: PutFlags = [],
        _ fill: (UnsafeMutableRawBufferPointer) throws -> Void
    ) throws -> Bool {
        var reserved = MDB_val(mv_size: count, mv_data: nil)
        let stored = withMDBValue(of: key) { key in
            mdb_put(handle, database.handle, &key, &reserved, flags.rawValue | UInt32(MDB_RESERVE))
        }
        guard try finishPut(stored, flags: flags, database: database) else { return false }
        do {
            try fill(UnsafeMutableRawBufferPointer(start: reserved.mv_data, count: count))
        } catch {
            try delete(forKey: key, in: database)
            throw error
        }
        return true
    }

    /// Removes the value stored under `key`.
    /// - Returns: `false` when there was none.
    /// - Throws: ``LMDBError``.
    @discardableResult
    public func delete(forKey key: [UInt8], in database: Database) throws(LMDBError) -> Bool {
        let deleted = withMDBValue(of: key) { key in mdb_del(handle, database.handle, &key, nil) }
        if deleted == MDB_NOTFOUND { return false }
        try checkWrite(deleted, "mdb_del from \(database.name ?? "main")")
        return true
    }

    /// Removes every entry of `database`, keeping the database itself (`mdb_drop` with 0).
    /// - Throws: ``LMDBError``.
    public func removeAll(in database: Database) throws(LMDBError) {
        try checkWrite(mdb_drop(handle, database.handle, 0), "mdb_drop(\(database.name ?? "main"))")
    }

    private func finishPut(_ returnCode: Int32, flags: PutFlags, database: Database) throws(LMDBError) -> Bool {
        if returnCode == MDB_KEYEXIST, flags.contains(.noOverwrite) { return false }
        try checkWrite(returnCode, "mdb_put into \(database.name ?? "main")")
        return true
    }

    /// Like `check`, but first notes a full map so the environment grows it and retries.
    private func checkWrite(_ returnCode: Int32, _ operation: @autoclosure () -> String) throws(LMDBError) {
        if returnCode == MDB_MAP_FULL { writeState?.mapFull = true }
        try check(returnCode, operation())
    }
}

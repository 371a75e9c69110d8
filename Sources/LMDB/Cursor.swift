import CLMDB

/// A position in one database of a transaction, lent to the closure of
/// ``Transaction/withCursor(on:_:)`` and closed when it returns.
///
/// Each move returns the entry it lands on, or `nil` when there is none. The entry's buffers
/// point into the map and are valid until the transaction ends (in a write transaction, until
/// the next write).
public struct Cursor: ~Copyable {
    /// The `MDB_cursor` handle.
    let handle: OpaquePointer
    /// The database the cursor walks, for error messages.
    let database: Database

    init(handle: OpaquePointer, database: Database) {
        self.handle = handle
        self.database = database
    }

    deinit {
        mdb_cursor_close(handle)
    }

    /// One key and its value, as views into the map.
    public struct Entry {
        /// The key's bytes.
        public let key: UnsafeRawBufferPointer
        /// The value's bytes.
        public let value: UnsafeRawBufferPointer
    }

    /// Moves to the first entry. The corresponding C constant is `MDB_FIRST`.
    public func first() throws(LMDBError) -> Entry? { try move(MDB_FIRST) }

    /// Moves to the last entry. The corresponding C constant is `MDB_LAST`.
    public func last() throws(LMDBError) -> Entry? { try move(MDB_LAST) }

    /// Moves to the next entry. The corresponding C constant is `MDB_NEXT`.
    public func next() throws(LMDBError) -> Entry? { try move(MDB_NEXT) }

    /// Moves to the previous entry. The corresponding C constant is `MDB_PREV`.
    public func previous() throws(LMDBError) -> Entry? { try move(MDB_PREV) }

    /// The entry at the current position. The corresponding C constant is `MDB_GET_CURRENT`.
    public func current() throws(LMDBError) -> Entry? { try move(MDB_GET_CURRENT) }

    /// Moves to the first entry whose key is at least `key`. The corresponding C constant is
    /// `MDB_SET_RANGE`.
    public func seek(atLeast key: [UInt8]) throws(LMDBError) -> Entry? {
        try seek(key, MDB_SET_RANGE)
    }

    /// Moves to the entry whose key is exactly `key`. The corresponding C constant is
    /// `MDB_SET_KEY`.
    public func seek(exactly key: [UInt8]) throws(LMDBError) -> Entry? {
        try seek(key, MDB_SET_KEY)
    }

    private func move(_ operation: MDB_cursor_op) throws(LMDBError) -> Entry? {
        var key = MDB_val()
        var value = MDB_val()
        return try finish(mdb_cursor_get(handle, &key, &value, operation), key, value)
    }

    private func seek(_ target: [UInt8], _ operation: MDB_cursor_op) throws(LMDBError) -> Entry? {
        var value = MDB_val()
        // MDB_SET_RANGE and MDB_SET_KEY overwrite `key` with the found key, which lives in the map.
        var key = MDB_val()
        let result = withMDBValue(of: target) { requested in
            let returnCode = mdb_cursor_get(handle, &requested, &value, operation)
            key = requested
            return returnCode
        }
        return try finish(result, key, value)
    }

    private func finish(_ returnCode: Int32, _ key: MDB_val, _ value: MDB_val) throws(LMDBError) -> Entry? {
        if returnCode == MDB_NOTFOUND { return nil }
        try check(returnCode, "mdb_cursor_get in \(database.name ?? "main")")
        return Entry(key: key.bytes, value: value.bytes)
    }
}

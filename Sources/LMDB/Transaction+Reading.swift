import CLMDB

extension Transaction {
    /// Calls `body` with the value stored under `key`, or returns `nil` when there is none.
    ///
    /// The buffer points into the map: no copy is made, and it must not be used after `body`
    /// returns.
    /// - Parameters:
    ///   - key: The key's bytes.
    ///   - database: The database to look in.
    ///   - body: Reads the value and returns a result that owns its data.
    /// - Returns: What `body` returned, or `nil` when the key is absent.
    /// - Throws: What `body` throws, or ``LMDBError``.
    public func withValue<R>(
        forKey key: [UInt8],
        in database: Database,
        _ body: (UnsafeRawBufferPointer) throws -> R
    ) throws -> R? {
        guard let value = try lookUp(key, in: database) else { return nil }
        return try body(value.bytes)
    }

    /// A copy of the value stored under `key`, or `nil` when there is none.
    /// - Throws: ``LMDBError``.
    public func value(forKey key: [UInt8], in database: Database) throws(LMDBError) -> [UInt8]? {
        try lookUp(key, in: database).map { [UInt8]($0.bytes) }
    }

    /// Whether a value is stored under `key`.
    /// - Throws: ``LMDBError``.
    public func contains(key: [UInt8], in database: Database) throws(LMDBError) -> Bool {
        try lookUp(key, in: database) != nil
    }

    /// The number of entries in `database` (`mdb_stat`).
    /// - Throws: ``LMDBError``.
    public func count(in database: Database) throws(LMDBError) -> Int {
        var stat = MDB_stat()
        try check(mdb_stat(handle, database.handle, &stat), "mdb_stat(\(database.name ?? "main"))")
        return stat.ms_entries
    }

    /// Opens a cursor on `database`, lends it to `body` and closes it afterwards.
    /// - Returns: What `body` returned.
    /// - Throws: What `body` throws, or ``LMDBError``.
    public func withCursor<R>(on database: Database, _ body: (borrowing Cursor) throws -> R) throws -> R {
        var cursor: OpaquePointer?
        try check(mdb_cursor_open(handle, database.handle, &cursor), "mdb_cursor_open(\(database.name ?? "main"))")
        guard let cursor else { preconditionFailure("mdb_cursor_open succeeded without a cursor") }
        return try body(Cursor(handle: cursor, database: database))
    }

    /// Calls `body` with each entry whose key lies in `range`, in key order (or reverse key
    /// order), until it returns ``IterationControl/stop``.
    ///
    /// The entry's buffers point into the map and must not be used after `body` returns.
    /// - Parameters:
    ///   - database: The database to scan.
    ///   - range: The keys to visit, compared with the database's key order.
    ///   - reverse: Visit the keys from last to first.
    ///   - body: Looks at one entry and says whether to go on.
    /// - Throws: What `body` throws, or ``LMDBError``.
    public func forEach(
        in database: Database,
        range: KeyRange = .all,
        reverse: Bool = false,
        _ body: (Cursor.Entry) throws -> IterationControl
    ) throws {
        try withCursor(on: database) { cursor in
            var entry = try reverse
                ? lastEntry(of: cursor, before: range.upperBound)
                : firstEntry(of: cursor, from: range.lowerBound)
            while let current = entry {
                if reverse, let lower = range.lowerBound, compare(current.key, lower, in: database) < 0 { return }
                if !reverse, let upper = range.upperBound, compare(current.key, upper, in: database) >= 0 { return }
                if try body(current) == .stop { return }
                entry = try reverse ? cursor.previous() : cursor.next()
            }
        }
    }

    /// Looks `key` up; the returned value points into the map.
    private func lookUp(_ key: [UInt8], in database: Database) throws(LMDBError) -> MDB_val? {
        var value = MDB_val()
        let found = withMDBValue(of: key) { key in mdb_get(handle, database.handle, &key, &value) }
        if found == MDB_NOTFOUND { return nil }
        try check(found, "mdb_get from \(database.name ?? "main")")
        return value
    }

    private func firstEntry(of cursor: borrowing Cursor, from lower: [UInt8]?) throws(LMDBError) -> Cursor.Entry? {
        guard let lower else { return try cursor.first() }
        return try cursor.seek(atLeast: lower)
    }

    private func lastEntry(of cursor: borrowing Cursor, before upper: [UInt8]?) throws(LMDBError) -> Cursor.Entry? {
        guard let upper else { return try cursor.last() }
        // The entry before the first key at or past `upper`; the last entry when there is none.
        guard try cursor.seek(atLeast: upper) != nil else { return try cursor.last() }
        return try cursor.previous()
    }

    /// Compares two keys with the database's key order (`mdb_cmp`).
    private func compare(_ a: UnsafeRawBufferPointer, _ b: [UInt8], in database: Database) -> Int32 {
        var left = MDB_val(mv_size: a.count, mv_data: UnsafeMutableRawPointer(mutating: a.baseAddress))
        return withMDBValue(of: b) { right in mdb_cmp(handle, database.handle, &left, &right) }
    }
}

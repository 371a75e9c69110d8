import CLMDB

extension Environment {
    /// Runs `body` in a read transaction: a consistent snapshot of the last commit before it
    /// began, unaffected by writes that commit while it runs.
    ///
    /// The transaction and every buffer read from it are valid only inside `body`. Read
    /// transactions may run concurrently with each other and with a write, from any thread.
    /// - Parameter body: Reads from the transaction and returns a result that owns its data.
    /// - Returns: What `body` returned.
    /// - Throws: What `body` throws, or ``LMDBError`` (`.readersFull` when every reader slot is
    ///   taken).
    @discardableResult
    public func read<R>(_ body: (borrowing ReadTransaction) throws -> R) throws -> R {
        while true {
            let attempt = try lock.withShared { () throws -> Attempt<R> in
                guard let transaction = try beginTransaction(flags: UInt32(MDB_RDONLY)) else { return .mapResized }
                defer { mdb_txn_abort(transaction) }
                return .finished(try body(ReadTransaction(handle: transaction, writeState: nil)))
            }
            if let result = try recover(from: attempt) { return result }
        }
    }

    /// Runs `body` in a write transaction, committing when it returns normally and aborting
    /// when it throws: either all of its writes become visible, or none.
    ///
    /// `body` is synchronous, so the transaction begins and commits on one OS thread, as LMDB
    /// requires. Writes are serialized: a second writer blocks its thread until the first
    /// commits, so long writes belong on a thread set aside for them.
    ///
    /// `body` may run more than once. When the map fills up (`MDB_MAP_FULL`), the transaction
    /// is aborted, the map doubled (up to ``Configuration/maximumMapSize``) and `body` run
    /// again from the start, so it must not have effects outside the transaction that cannot
    /// be repeated. Don't start a write inside a ``read(_:)`` or ``write(_:)`` closure of the
    /// same environment: LMDB's writer lock is not reentrant, and growing the map waits for
    /// every transaction of the process to end.
    /// - Parameter body: Reads and writes through the transaction.
    /// - Returns: What `body` returned in the run that committed.
    /// - Throws: What `body` throws, or ``LMDBError`` (`.mapFull` when the map cannot grow
    ///   further).
    @discardableResult
    public func write<R>(_ body: (borrowing WriteTransaction) throws -> R) throws -> R {
        while true {
            let attempt = try lock.withShared { () throws -> Attempt<R> in
                guard let transaction = try beginTransaction(flags: 0) else { return .mapResized }
                let observedMapSize = mapSizeHoldingLock
                let state = WriteState()
                let result: R
                do {
                    result = try body(WriteTransaction(handle: transaction, writeState: state))
                } catch {
                    mdb_txn_abort(transaction)
                    if state.mapFull { return .mapFull(observedMapSize: observedMapSize) }
                    throw error
                }
                if state.mapFull {
                    mdb_txn_abort(transaction)
                    return .mapFull(observedMapSize: observedMapSize)
                }
                let committed = mdb_txn_commit(transaction)
                if committed == MDB_MAP_FULL { return .mapFull(observedMapSize: observedMapSize) }
                try check(committed, "mdb_txn_commit")
                return .finished(result)
            }
            if let result = try recover(from: attempt) { return result }
        }
    }

    /// The closure's result if the attempt finished; otherwise prepares the environment for
    /// another attempt and returns `nil`.
    private func recover<R>(from attempt: Attempt<R>) throws(LMDBError) -> R? {
        switch attempt {
        case .finished(let result):
            return result
        case .mapResized:
            try adoptResizedMap()
        case .mapFull(let observed):
            try growMap(from: observed)
        }
        return nil
    }

    /// Begins a transaction, or returns `nil` when another process grew the map and this one
    /// must adopt the new size first.
    private func beginTransaction(flags: UInt32) throws(LMDBError) -> OpaquePointer? {
        var transaction: OpaquePointer?
        let begun = mdb_txn_begin(handle, nil, flags, &transaction)
        if begun == MDB_MAP_RESIZED { return nil }
        try check(begun, flags == 0 ? "mdb_txn_begin (write)" : "mdb_txn_begin (read)")
        return transaction
    }

    /// Adopts the map size another process set (`mdb_env_set_mapsize` with 0).
    private func adoptResizedMap() throws(LMDBError) {
        try lock.withExclusive { () throws(LMDBError) in
            try check(mdb_env_set_mapsize(handle, 0), "mdb_env_set_mapsize(0) after MDB_MAP_RESIZED")
        }
    }

    /// Doubles the map, up to the configured maximum, unless another writer already grew it
    /// past the size the failed transaction saw.
    private func growMap(from observedMapSize: Int) throws(LMDBError) {
        let pageSize = self.pageSize
        let limit = configuration.maximumMapSize / pageSize * pageSize
        try lock.withExclusive { () throws(LMDBError) in
            let current = mapSizeHoldingLock
            guard current <= observedMapSize else { return }
            guard current < limit else {
                throw LMDBError(
                    code: .mapFull,
                    operation: "growing the map beyond \(current) bytes (maximum \(configuration.maximumMapSize))"
                )
            }
            let (doubled, overflow) = current.multipliedReportingOverflow(by: 2)
            let next = overflow ? limit : min(doubled, limit)
            try check(mdb_env_set_mapsize(handle, next), "mdb_env_set_mapsize(\(next))")
        }
    }
}

/// How one run of a transaction closure ended.
private enum Attempt<R> {
    /// The closure returned and the transaction ended normally.
    case finished(R)
    /// The transaction could not begin: another process grew the map.
    case mapResized
    /// The map filled up; it had `observedMapSize` bytes when the transaction began.
    case mapFull(observedMapSize: Int)
}

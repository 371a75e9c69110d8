import CLMDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open LMDB environment: one memory-mapped file holding named databases.
///
/// The environment is always opened with `MDB_NOTLS`, which ties a reader slot to its
/// transaction instead of its thread, so read transactions may run on whatever thread a Swift
/// task happens to be on. Write transactions are synchronous closures, so each one begins and
/// commits on a single OS thread, as LMDB requires.
///
/// `Sendable` because LMDB environments are thread-safe: every transaction runs inside a
/// closure that holds `lock` shared, and the only mutation of the environment from Swift, growing
/// the map, holds it exclusively.
public final class Environment: @unchecked Sendable {
    /// The `MDB_env` handle.
    let handle: OpaquePointer
    /// Held shared by every transaction and exclusively while the map is resized.
    let lock = ReadWriteLock()
    /// The directory (or, with ``Flags/noSubdirectory``, the file) the environment lives in.
    public let path: String
    /// The configuration the environment was opened with.
    public let configuration: Configuration
    /// The number of stale reader slots (left by processes that died) cleared when opening.
    public let staleReadersCleared: Int

    /// Opens (creating if needed) the environment at `path`.
    ///
    /// The directory must exist unless ``Flags/noSubdirectory`` is set. Reader slots left by a
    /// process that was killed are cleared (`mdb_reader_check`).
    /// - Parameters:
    ///   - path: The environment's directory, or its data file with ``Flags/noSubdirectory``.
    ///   - configuration: Map size policy, limits and flags.
    /// - Throws: ``LMDBError`` when the environment cannot be created or opened.
    public init(path: String, configuration: Configuration = Configuration()) throws(LMDBError) {
        var environment: OpaquePointer?
        try check(mdb_env_create(&environment), "mdb_env_create")
        guard let environment else { preconditionFailure("mdb_env_create succeeded without an environment") }
        do {
            let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
            let mapSize = (max(configuration.mapSize, pageSize) + pageSize - 1) / pageSize * pageSize
            try check(mdb_env_set_mapsize(environment, mapSize), "mdb_env_set_mapsize(\(mapSize))")
            try check(mdb_env_set_maxdbs(environment, configuration.maximumDatabases), "mdb_env_set_maxdbs")
            try check(mdb_env_set_maxreaders(environment, configuration.maximumReaders), "mdb_env_set_maxreaders")
            let flags = configuration.flags.rawValue | UInt32(MDB_NOTLS)
            try check(
                mdb_env_open(environment, path, flags, mdb_mode_t(configuration.fileMode)),
                "mdb_env_open(\(path))"
            )
            try Self.adoptLargerStoredMapSize(environment, configured: mapSize)
            var dead: Int32 = 0
            try check(mdb_reader_check(environment, &dead), "mdb_reader_check")
            staleReadersCleared = Int(dead)
        } catch {
            mdb_env_close(environment)
            throw error
        }
        handle = environment
        self.path = path
        self.configuration = configuration
    }

    deinit {
        mdb_env_close(handle)
    }

    /// An existing environment keeps the map size it grew to: LMDB would otherwise shrink it
    /// to the configured size (or the used space), and the next write would have to grow it
    /// again. Runs before any transaction, as `mdb_env_set_mapsize` requires.
    private static func adoptLargerStoredMapSize(_ environment: OpaquePointer, configured: Int) throws(LMDBError) {
        // Size 0 adopts the size recorded in the file (at least the used space).
        try check(mdb_env_set_mapsize(environment, 0), "mdb_env_set_mapsize(0) to adopt the stored size")
        var info = MDB_envinfo()
        mdb_env_info(environment, &info)
        if info.me_mapsize < configured {
            try check(mdb_env_set_mapsize(environment, configured), "mdb_env_set_mapsize(\(configured))")
        }
    }

    /// The current size of the memory map in bytes (it grows when writes fill it).
    public var mapSize: Int {
        lock.withShared { mapSizeHoldingLock }
    }

    /// The database page size in bytes.
    public var pageSize: Int {
        var stat = MDB_stat()
        mdb_env_stat(handle, &stat)
        return Int(stat.ms_psize)
    }

    /// The largest key this environment accepts, in bytes.
    public var maximumKeySize: Int {
        Int(mdb_env_get_maxkeysize(handle))
    }

    /// Flushes the data to disk; useful with ``Flags/noSync``.
    /// - Throws: ``LMDBError`` when the flush fails.
    public func sync() throws(LMDBError) {
        try check(mdb_env_sync(handle, 1), "mdb_env_sync")
    }

    /// Opens a named database, creating it unless the environment is read-only.
    ///
    /// Open each database once and keep the handle: it stays valid until the environment
    /// closes. Opening holds the environment exclusively, as LMDB forbids opening databases
    /// concurrently with other transactions of the process that might use them, so it must not
    /// be called inside a transaction closure (it would wait for that transaction forever).
    /// - Parameters:
    ///   - name: The database's name, or `nil` for the unnamed main database.
    ///   - flags: Key ordering and duplicate handling; must match the flags it was created with.
    /// - Returns: The database handle.
    /// - Throws: ``LMDBError``: `.notFound` for a missing database in a read-only environment,
    ///   `.databasesFull` beyond ``Configuration/maximumDatabases``, `.incompatible` for
    ///   mismatched flags.
    public func openDatabase(named name: String?, flags: Database.Flags = []) throws(LMDBError) -> Database {
        let readOnly = configuration.flags.contains(.readOnly)
        let create = readOnly ? 0 : UInt32(MDB_CREATE)
        return try lock.withExclusive { () throws(LMDBError) -> Database in
            var transaction: OpaquePointer?
            try check(mdb_txn_begin(handle, nil, readOnly ? UInt32(MDB_RDONLY) : 0, &transaction), "mdb_txn_begin")
            guard let transaction else { preconditionFailure("mdb_txn_begin succeeded without a transaction") }
            var database: MDB_dbi = 0
            let opened = mdb_dbi_open(transaction, name, flags.rawValue | create, &database)
            guard opened == MDB_SUCCESS else {
                mdb_txn_abort(transaction)
                throw LMDBError(code: .init(rawValue: opened), operation: "mdb_dbi_open(\(name ?? "main"))")
            }
            try check(mdb_txn_commit(transaction), "mdb_txn_commit after mdb_dbi_open(\(name ?? "main"))")
            return Database(name: name, handle: database, flags: flags)
        }
    }

    /// The map size; the caller holds `lock`, so no resize can run concurrently.
    var mapSizeHoldingLock: Int {
        var info = MDB_envinfo()
        mdb_env_info(handle, &info)
        return info.me_mapsize
    }
}

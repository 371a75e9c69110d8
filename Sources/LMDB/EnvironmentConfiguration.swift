import CLMDB

extension Environment {
    /// How an environment is opened: its map size policy, limits and flags.
    public struct Configuration: Sendable, Equatable {
        /// The initial map size in bytes (rounded up to a multiple of the page size). An existing
        /// environment that already uses more keeps its larger size.
        public var mapSize: Int
        /// The largest map size writes may grow the map to when it fills up.
        public var maximumMapSize: Int
        /// The number of named databases the environment may hold.
        public var maximumDatabases: UInt32
        /// The number of reader slots (concurrent read transactions, across processes).
        public var maximumReaders: UInt32
        /// Options for the environment; `MDB_NOTLS` is always added.
        public var flags: Flags
        /// Permissions of the data and lock files when they are created.
        public var fileMode: UInt32

        /// A configuration; the defaults suit a single daemon's store that starts small.
        /// - Parameters:
        ///   - mapSize: Initial map size, 64 MiB by default.
        ///   - maximumMapSize: Growth limit, 1 TiB by default (address space, not disk).
        ///   - maximumDatabases: Named databases, 32 by default.
        ///   - maximumReaders: Reader slots, LMDB's default 126.
        ///   - flags: Environment options.
        ///   - fileMode: Permissions of created files, `0o640` by default.
        public init(
            mapSize: Int = 64 << 20,
            maximumMapSize: Int = 1 << 40,
            maximumDatabases: UInt32 = 32,
            maximumReaders: UInt32 = 126,
            flags: Flags = [],
            fileMode: UInt32 = 0o640
        ) {
            self.mapSize = mapSize
            self.maximumMapSize = maximumMapSize
            self.maximumDatabases = maximumDatabases
            self.maximumReaders = maximumReaders
            self.flags = flags
            self.fileMode = fileMode
        }
    }

    /// Options for opening an environment.
    public struct Flags: OptionSet, Sendable, Hashable {
        /// The raw `mdb_env_open` flags.
        public let rawValue: UInt32

        /// Creates flags from raw `mdb_env_open` flags.
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// The path names the data file itself rather than a directory holding `data.mdb` and
        /// `lock.mdb`. The corresponding C constant is `MDB_NOSUBDIR`.
        public static let noSubdirectory = Flags(rawValue: UInt32(MDB_NOSUBDIR))
        /// Open read-only: write transactions fail. The corresponding C constant is `MDB_RDONLY`.
        public static let readOnly = Flags(rawValue: UInt32(MDB_RDONLY))
        /// Don't fsync after commit: a system crash may lose the last transactions (but not
        /// corrupt the file). The corresponding C constant is `MDB_NOSYNC`.
        public static let noSync = Flags(rawValue: UInt32(MDB_NOSYNC))
        /// Don't fsync the meta page after commit. The corresponding C constant is `MDB_NOMETASYNC`.
        public static let noMetaSync = Flags(rawValue: UInt32(MDB_NOMETASYNC))
        /// Don't use read-ahead on the map (helps random reads of maps larger than memory). The
        /// corresponding C constant is `MDB_NORDAHEAD`.
        public static let noReadAhead = Flags(rawValue: UInt32(MDB_NORDAHEAD))
    }
}

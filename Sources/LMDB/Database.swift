import CLMDB

/// A handle to a named database inside an ``Environment``, from
/// ``Environment/openDatabase(named:flags:)``. Valid in every transaction until the environment
/// closes.
public struct Database: Sendable, Hashable {
    /// The database's name, `nil` for the main database.
    public let name: String?
    /// The `MDB_dbi` handle.
    let handle: MDB_dbi
    /// The flags the database was opened with.
    public let flags: Flags

    /// Options for a database's key ordering and duplicates.
    public struct Flags: OptionSet, Sendable, Hashable {
        /// The raw `mdb_dbi_open` flags.
        public let rawValue: UInt32

        /// Creates flags from raw `mdb_dbi_open` flags.
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// Compare keys from their last byte to their first. The corresponding C constant is
        /// `MDB_REVERSEKEY`.
        public static let reverseKey = Flags(rawValue: UInt32(MDB_REVERSEKEY))
        /// Keys may hold several values, kept sorted. The corresponding C constant is `MDB_DUPSORT`.
        public static let duplicateSort = Flags(rawValue: UInt32(MDB_DUPSORT))
        /// Keys are native-endian `UInt32` or `UInt`, all of the same size, ordered as numbers.
        /// The corresponding C constant is `MDB_INTEGERKEY`.
        public static let integerKey = Flags(rawValue: UInt32(MDB_INTEGERKEY))
        /// With ``duplicateSort``: every value has the same size. The corresponding C constant
        /// is `MDB_DUPFIXED`.
        public static let duplicateFixed = Flags(rawValue: UInt32(MDB_DUPFIXED))
        /// With ``duplicateSort``: values are native-endian integers ordered as numbers. The
        /// corresponding C constant is `MDB_INTEGERDUP`.
        public static let integerDuplicate = Flags(rawValue: UInt32(MDB_INTEGERDUP))
    }
}

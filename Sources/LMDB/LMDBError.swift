import CLMDB

/// A failed LMDB call: the library's return code, its explanation, and the operation that failed.
///
/// Outcomes that are answers rather than failures never appear as errors: a missing key makes
/// `get` return `nil`, an existing key under ``WriteTransaction/PutFlags/noOverwrite`` makes
/// `put` return `false`.
public struct LMDBError: Error, Hashable, CustomStringConvertible {
    /// The return code LMDB (or the C library, for `errno` values) reported.
    public let code: Code
    /// What was being done, for example `"mdb_put into gradientBlocks"`.
    public let operation: String

    /// Creates an error for `code` reported by `operation`.
    public init(code: Code, operation: String) {
        self.code = code
        self.operation = operation
    }

    /// The operation followed by `mdb_strerror`'s text and the numeric code.
    public var description: String {
        "\(operation) failed: \(code.message) (\(code.rawValue))"
    }
}

extension LMDBError {
    /// An LMDB or `errno` return code.
    public struct Code: RawRepresentable, Hashable, Sendable {
        /// The raw C return code.
        public let rawValue: Int32

        /// Creates a code from a raw C return code.
        public init(rawValue: Int32) { self.rawValue = rawValue }

        /// The library's explanation, from `mdb_strerror` (which also knows `errno` values).
        public var message: String { String(cString: mdb_strerror(rawValue)) }

        /// The key/data pair already exists. The corresponding C constant is `MDB_KEYEXIST`.
        public static let keyExists = Code(rawValue: MDB_KEYEXIST)
        /// No matching key/data pair. The corresponding C constant is `MDB_NOTFOUND`.
        public static let notFound = Code(rawValue: MDB_NOTFOUND)
        /// A page is missing: the file is corrupt. The corresponding C constant is `MDB_PAGE_NOTFOUND`.
        public static let pageNotFound = Code(rawValue: MDB_PAGE_NOTFOUND)
        /// A page has the wrong type: the file is corrupt. The corresponding C constant is `MDB_CORRUPTED`.
        public static let corrupted = Code(rawValue: MDB_CORRUPTED)
        /// The environment had a fatal error. The corresponding C constant is `MDB_PANIC`.
        public static let panic = Code(rawValue: MDB_PANIC)
        /// The file was written by an incompatible LMDB version. The corresponding C constant is
        /// `MDB_VERSION_MISMATCH`.
        public static let versionMismatch = Code(rawValue: MDB_VERSION_MISMATCH)
        /// The file is not an LMDB file. The corresponding C constant is `MDB_INVALID`.
        public static let invalid = Code(rawValue: MDB_INVALID)
        /// The memory map is full (and could not grow further). The corresponding C constant is
        /// `MDB_MAP_FULL`.
        public static let mapFull = Code(rawValue: MDB_MAP_FULL)
        /// The environment's maximum number of named databases is reached. The corresponding C
        /// constant is `MDB_DBS_FULL`.
        public static let databasesFull = Code(rawValue: MDB_DBS_FULL)
        /// Every reader slot is taken. The corresponding C constant is `MDB_READERS_FULL`.
        public static let readersFull = Code(rawValue: MDB_READERS_FULL)
        /// The transaction has too many dirty pages. The corresponding C constant is `MDB_TXN_FULL`.
        public static let transactionFull = Code(rawValue: MDB_TXN_FULL)
        /// Another process grew the map beyond this one's mapping. The corresponding C constant is
        /// `MDB_MAP_RESIZED`.
        public static let mapResized = Code(rawValue: MDB_MAP_RESIZED)
        /// The database was opened with incompatible flags. The corresponding C constant is
        /// `MDB_INCOMPATIBLE`.
        public static let incompatible = Code(rawValue: MDB_INCOMPATIBLE)
        /// The transaction cannot be used any more (an earlier operation in it failed). The
        /// corresponding C constant is `MDB_BAD_TXN`.
        public static let badTransaction = Code(rawValue: MDB_BAD_TXN)
        /// A key or value has an unsupported size (empty key, key beyond the maximum key size).
        /// The corresponding C constant is `MDB_BAD_VALSIZE`.
        public static let badValueSize = Code(rawValue: MDB_BAD_VALSIZE)
        /// The database handle is not valid in this transaction. The corresponding C constant is
        /// `MDB_BAD_DBI`.
        public static let badDatabase = Code(rawValue: MDB_BAD_DBI)
    }
}

/// Turns an LMDB return code into a thrown ``LMDBError`` naming `operation`.
@inline(__always)
func check(_ returnCode: Int32, _ operation: @autoclosure () -> String) throws(LMDBError) {
    if returnCode != MDB_SUCCESS {
        throw LMDBError(code: LMDBError.Code(rawValue: returnCode), operation: operation())
    }
}

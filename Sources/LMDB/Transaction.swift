import CLMDB

/// An LMDB transaction, handed to the closure of ``Environment/read(_:)`` or
/// ``Environment/write(_:)``.
///
/// Non-copyable and lent to the closure as `borrowing`, so it cannot be stored or returned:
/// the transaction, and every buffer pointer read from it, lives only while the closure runs.
/// `Access` says what it may do: ``ReadOnly`` transactions read a consistent snapshot,
/// ``ReadWrite`` transactions also write.
public struct Transaction<Access: TransactionAccess>: ~Copyable {
    /// The `MDB_txn` handle.
    let handle: OpaquePointer
    /// Write transactions note here that the map filled up, so the environment can grow it and
    /// run the closure again even if the closure caught the error; `nil` for read transactions.
    let writeState: WriteState?
}

/// A transaction that only reads: a snapshot of the last commit when it began.
public typealias ReadTransaction = Transaction<ReadOnly>

/// A transaction that reads and writes, committed when its closure returns normally.
public typealias WriteTransaction = Transaction<ReadWrite>

/// What a ``Transaction`` may do.
public protocol TransactionAccess {}

/// Marks ``ReadTransaction``.
public enum ReadOnly: TransactionAccess {}

/// Marks ``WriteTransaction``.
public enum ReadWrite: TransactionAccess {}

/// What a write transaction learned about the map while its closure ran.
final class WriteState {
    /// An operation in the transaction failed with `MDB_MAP_FULL`.
    var mapFull = false
}

/// Whether a scan over entries goes on after the current one.
public enum IterationControl: Sendable {
    /// Visit the next entry.
    case proceed
    /// Stop the scan.
    case stop
}

extension MDB_val {
    /// The value's bytes, valid as long as the transaction that produced them.
    var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: mv_data, count: mv_size)
    }
}

/// Calls `body` with an `MDB_val` describing `bytes` (valid only during `body`).
@inline(__always)
func withMDBValue<R>(of bytes: [UInt8], _ body: (inout MDB_val) -> R) -> R {
    bytes.withUnsafeBytes { raw in
        var value = MDB_val(mv_size: raw.count, mv_data: UnsafeMutableRawPointer(mutating: raw.baseAddress))
        return body(&value)
    }
}

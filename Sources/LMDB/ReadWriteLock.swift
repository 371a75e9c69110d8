#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A POSIX reader-writer lock, heap-allocated so its address never moves.
///
/// Transactions hold it shared; growing the map holds it exclusively, because
/// `mdb_env_set_mapsize` remaps the file and may only run while no transaction of this process
/// is active. The platform default prefers readers, so a thread that already holds it shared
/// (a read inside a write closure) can take it shared again.
final class ReadWriteLock: @unchecked Sendable {
    // @unchecked: the pthread lock is itself the synchronisation; the pointer never changes.
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>

    init() {
        lock = .allocate(capacity: 1)
        lock.initialize(to: pthread_rwlock_t())
        pthread_rwlock_init(lock, nil)
    }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deinitialize(count: 1)
        lock.deallocate()
    }

    /// Runs `body` holding the lock shared.
    func withShared<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        pthread_rwlock_rdlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }

    /// Runs `body` holding the lock exclusively.
    func withExclusive<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        pthread_rwlock_wrlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }
}

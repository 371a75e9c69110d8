import Synchronization
import SystemPackage

/// Tells the watcher thread to stop, waking it out of `poll(2)` at once.
///
/// Shared by the ``DirectoryWatcher`` (which requests the stop) and its thread (which polls the
/// pipe's read end). It is a class so that the pipe is closed exactly once, in `deinit`, when
/// the last of the two lets go: neither side can close a descriptor the other still uses, and a
/// reused descriptor number can never receive a stray wake-up byte.
final class StopSignal: Sendable {
    /// Polled by the watcher thread; readable once a stop was requested.
    let readEnd: FileDescriptor
    private let writeEnd: FileDescriptor
    private let requested = Atomic<Bool>(false)

    /// Creates the (non-blocking, close-on-exec) wake-up pipe.
    init() throws(FileWatchingError) {
        do {
            (readEnd, writeEnd) = try FileDescriptor.pipe(options: [.nonBlocking, .closeOnExec])
        } catch {
            throw .cannotCreateWakeUpPipe(error)
        }
    }

    deinit {
        try? readEnd.close()
        try? writeEnd.close()
    }

    /// Whether a stop was requested.
    var isRequested: Bool { requested.load(ordering: .acquiring) }

    /// Requests the stop and wakes the thread; later calls do nothing.
    func request() {
        guard !requested.exchange(true, ordering: .acquiringAndReleasing) else { return }
        // One byte in an empty pipe cannot block or fail short; a failure would only mean the
        // thread sees the flag at its next wake-up instead of now.
        _ = try? writeEnd.writeAll([UInt8(1)])
    }
}

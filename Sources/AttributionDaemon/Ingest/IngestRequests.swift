import Dispatch
import Synchronization

/// What the ingest thread has been asked to do (rescan, stop), and the means to wake it.
///
/// Requests are flags, so any burst of them costs one reconcile and no memory; the semaphore is
/// signalled only when a flag goes up, so the thread wakes at most once per burst.
final class IngestRequests: Sendable {
    private struct Flags {
        var rescan = true  // the start-up reconcile
        var stop = false
    }

    private let flags = Mutex(Flags())
    private let wake = DispatchSemaphore(value: 0)

    /// Asks for a reconcile, coalesced with one already asked for.
    func requestRescan() {
        if flags.withLock({ flags in defer { flags.rescan = true }; return !flags.rescan }) { wake.signal() }
    }

    /// Asks the thread to stop once the job in flight is done.
    func requestStop() {
        if flags.withLock({ flags in defer { flags.stop = true }; return !flags.stop }) { wake.signal() }
    }

    /// Whether a stop was asked for.
    var isStopRequested: Bool { flags.withLock { $0.stop } }

    /// Takes the pending rescan request, if any.
    func takeRescan() -> Bool {
        flags.withLock { flags in defer { flags.rescan = false }; return flags.rescan }
    }

    /// Sleeps until a request arrives or `timeout` passes.
    func wait(timeout: Duration) {
        let nanoseconds = max(0, timeout / .nanoseconds(1))
        _ = wake.wait(timeout: .now() + .nanoseconds(Int(min(nanoseconds, Double(Int.max / 2)))))
    }
}

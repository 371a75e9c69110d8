import Dispatch
import Synchronization

/// What the valuation thread has been asked (a new job, stop) and the means to wake it.
///
/// Wake-ups are coalesced: the semaphore is signalled only when the flag goes up, so a burst of
/// requests wakes the thread once, and the thread looks at the store's queue each time it wakes.
final class ValuationSignals: Sendable {
    private struct Flags {
        var work = true  // the start-up look at the queue
        var stop = false
    }

    private let flags = Mutex(Flags())
    private let wake = DispatchSemaphore(value: 0)

    /// Tells the thread that a job may be waiting.
    func requestWork() {
        if flags.withLock({ flags in defer { flags.work = true }; return !flags.work }) { wake.signal() }
    }

    /// Asks the thread to stop after the coalition it is evaluating.
    func requestStop() {
        if flags.withLock({ flags in defer { flags.stop = true }; return !flags.stop }) { wake.signal() }
    }

    /// Whether a stop was asked for.
    var isStopRequested: Bool { flags.withLock { $0.stop } }

    /// Takes the pending work notice, if any.
    func takeWork() -> Bool {
        flags.withLock { flags in defer { flags.work = false }; return flags.work }
    }

    /// Sleeps until a request arrives or `timeout` passes.
    func wait(timeout: Duration) {
        let nanoseconds = max(0, timeout / .nanoseconds(1))
        _ = wake.wait(timeout: .now() + .nanoseconds(Int(min(nanoseconds, Double(Int.max / 2)))))
    }
}

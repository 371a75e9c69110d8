/// Delivers events into the bounded stream, turning lost events into one ``WatchEvent/overflow``.
///
/// The stream buffers the oldest events (`.bufferingOldest`): when it is full, the new event is
/// dropped and the sink owes the consumer an `.overflow`. Until that marker is enqueued, further
/// events are dropped too — they all happened before the marker, so the rescan the marker
/// triggers covers them — and the watcher thread retries the marker every few milliseconds. The
/// buffer therefore never holds more than its limit, whatever the burst.
struct EventSink: Sendable {
    /// The stream's producing side.
    let continuation: AsyncStream<WatchEvent>.Continuation
    /// Whether an `.overflow` is owed to the consumer.
    private(set) var overflowPending = false

    /// Creates a sink feeding `continuation`.
    init(continuation: AsyncStream<WatchEvent>.Continuation) {
        self.continuation = continuation
    }

    /// Delivers `event`, or drops it while an overflow is owed.
    mutating func send(_ event: WatchEvent) {
        guard !overflowPending else {
            deliverPendingOverflow()
            return
        }
        if case .dropped = continuation.yield(event) {
            reportOverflow()
        }
    }

    /// Owes the consumer an `.overflow` and tries to deliver it now.
    mutating func reportOverflow() {
        overflowPending = true
        deliverPendingOverflow()
    }

    /// Tries again to deliver an owed `.overflow`.
    mutating func deliverPendingOverflow() {
        guard overflowPending else { return }
        if case .dropped = continuation.yield(.overflow) { return }
        // Enqueued, or the consumer is gone: either way nothing is owed any more.
        overflowPending = false
    }

    /// Ends the stream.
    func finish() {
        continuation.finish()
    }
}

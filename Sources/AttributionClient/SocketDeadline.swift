/// The moment a call must be finished by, and how long `poll` may still wait for it.
struct SocketDeadline {
    let instant: ContinuousClock.Instant

    /// A deadline `timeout` from now.
    init(after timeout: Duration) {
        instant = ContinuousClock.now.advanced(by: timeout)
    }

    /// Milliseconds left, rounded up so a wait never ends just before the deadline; 0 once it
    /// has passed, capped to what `poll` accepts.
    var remainingMilliseconds: Int32 {
        let remaining = ContinuousClock.now.duration(to: instant)
        guard remaining > .zero else { return 0 }
        let (seconds, attoseconds) = remaining.components
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: milliseconds)
    }
}

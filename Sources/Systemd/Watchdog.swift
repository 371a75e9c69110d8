import CSystemd

/// The service manager's watchdog (`WatchdogSec=`), read from `WATCHDOG_USEC`/`WATCHDOG_PID`.
public enum Watchdog {
    /// The interval within which the service manager expects a `NotifyMessage.watchdog` ping, or
    /// `nil` when the watchdog is off for this process.
    ///
    /// Ping at half the interval or more often, from the component whose progress matters: a
    /// timer that keeps pinging while the daemon is wedged defeats the watchdog. A `WATCHDOG_PID`
    /// naming another process, or a malformed `WATCHDOG_USEC` (the service manager never sets
    /// one), counts as off. The variables stay in the environment.
    public static func interval() -> Duration? {
        var microseconds: UInt64 = 0
        guard sd_watchdog_enabled(0, &microseconds) > 0, microseconds > 0 else { return nil }
        return .microseconds(Int64(clamping: microseconds))
    }
}

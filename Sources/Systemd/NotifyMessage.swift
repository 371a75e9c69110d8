/// A message for the service manager: one `sd_notify(3)` assignment (two for `reloading`).
public enum NotifyMessage: Sendable, Equatable {
    /// `READY=1`: start-up is finished (the store is open and the socket listens).
    case ready
    /// `STOPPING=1`: a graceful stop has begun.
    case stopping
    /// `RELOADING=1` with `MONOTONIC_USEC=`, the `CLOCK_MONOTONIC` time the reload began, in
    /// microseconds. Send `ready` once the reload is done.
    case reloading(monotonicMicroseconds: UInt64)
    /// `STATUS=`: one line of free text shown by `systemctl status`. Line breaks and NUL bytes are
    /// replaced by spaces, because a newline would end the assignment and start another.
    case status(String)
    /// `WATCHDOG=1`: the keep-alive ping for `WatchdogSec=`.
    case watchdog
    /// `EXTEND_TIMEOUT_USEC=`: asks for this much more time for the current start-up, reload or
    /// stop before the service manager gives up.
    case extendTimeout(microseconds: UInt64)
    /// `ERRNO=`: the `errno`-style reason the daemon is failing.
    case errno(Int32)
    /// `MAINPID=`: the process the service manager should consider the main one.
    case mainPID(Int32)

    /// The assignment(s) as they appear in the datagram, without a trailing newline.
    var assignment: String {
        switch self {
        case .ready: "READY=1"
        case .stopping: "STOPPING=1"
        case .reloading(let microseconds): "RELOADING=1\nMONOTONIC_USEC=\(microseconds)"
        case .status(let text): "STATUS=" + Self.singleLine(text)
        case .watchdog: "WATCHDOG=1"
        case .extendTimeout(let microseconds): "EXTEND_TIMEOUT_USEC=\(microseconds)"
        case .errno(let code): "ERRNO=\(code)"
        case .mainPID(let pid): "MAINPID=\(pid)"
        }
    }

    /// The datagram text for `messages`: their assignments joined by newlines.
    static func datagram(_ messages: [NotifyMessage]) -> String {
        messages.map(\.assignment).joined(separator: "\n")
    }

    /// `text` with every line break (`\r\n`, `\n`, `\r`) and NUL byte replaced by one space.
    private static func singleLine(_ text: String) -> String {
        String(text.map { character in character.isNewline || character == "\0" ? " " : character })
    }
}

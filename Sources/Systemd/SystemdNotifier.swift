import CSystemd

#if canImport(Glibc)
import Glibc
#endif

/// Sends readiness, status and watchdog pings to the service manager through the datagram socket
/// named by `NOTIFY_SOCKET` (`sd_notify(3)`).
///
/// There is no notifier when the daemon does not run under a service manager that listens, so
/// callers hold an optional and never send into the void by accident. `sd_notify` opens a socket
/// per call, so one notifier may be used from any thread.
public struct SystemdNotifier: Sendable {
    /// The `NOTIFY_SOCKET` value seen when the notifier was made: a path, or `@name` for an
    /// abstract socket.
    public let socketAddress: String

    private init(socketAddress: String) {
        self.socketAddress = socketAddress
    }

    /// A notifier for the socket named by `NOTIFY_SOCKET`, or `nil` when that variable is unset
    /// or empty (not started by systemd, or a service type that does not listen).
    ///
    /// The variable is left in the environment: `sd_notify` reads it on every call.
    public static func fromEnvironment() -> SystemdNotifier? {
        guard let value = getenv("NOTIFY_SOCKET") else { return nil }
        let address = String(cString: value)
        return address.isEmpty ? nil : SystemdNotifier(socketAddress: address)
    }

    /// Sends `messages` as one datagram, their assignments separated by newlines, so the service
    /// manager applies them together (e.g. `[.status("indexed"), .ready]`). An empty list sends
    /// nothing.
    public func send(_ messages: [NotifyMessage]) throws(SystemdError) {
        guard !messages.isEmpty else { return }
        let text = NotifyMessage.datagram(messages)
        let result = sd_notify(0, text)
        if result < 0 { throw .notifyFailed(message: text, errno: -result) }
        if result == 0 { throw .notifySocketUnset(message: text) }
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// A failed exchange with the service manager: what was being done and the `errno` libsystemd
/// reported (its calls return `-errno`).
public enum SystemdError: Error, Equatable, CustomStringConvertible {
    /// `sd_notify` could not deliver `message` to the socket named by `NOTIFY_SOCKET`.
    case notifyFailed(message: String, errno: Int32)
    /// `NOTIFY_SOCKET` was set when the notifier was made but is not any more, so `sd_notify`
    /// had nowhere to send `message`.
    case notifySocketUnset(message: String)
    /// `sd_listen_fds` rejected `LISTEN_PID`/`LISTEN_FDS` (malformed values, or a passed
    /// descriptor that could not be marked close-on-exec).
    case listenFDsInvalid(errno: Int32)
    /// The service manager passed `count` descriptors where the daemon takes exactly one.
    case unexpectedListeningSocketCount(Int)
    /// Descriptor `fd` was passed but is not a listening `AF_UNIX` stream socket.
    case notAListeningUnixStreamSocket(fd: CInt)
    /// Descriptor `fd` was passed but could not be inspected (`fstat`/`getsockopt` failed).
    case socketInspectionFailed(fd: CInt, errno: Int32)

    /// What failed, with `strerror`'s text and the number for `errno` causes.
    public var description: String {
        switch self {
        case .notifyFailed(let message, let code):
            "sending \(Self.quoted(message)) to the service manager failed: \(Self.explain(code))"
        case .notifySocketUnset(let message):
            "cannot send \(Self.quoted(message)) to the service manager: NOTIFY_SOCKET is no longer set"
        case .listenFDsInvalid(let code):
            "the sockets passed by the service manager (LISTEN_PID, LISTEN_FDS) are unusable: \(Self.explain(code))"
        case .unexpectedListeningSocketCount(let count):
            "the service manager passed \(count) sockets; attributiond takes exactly one listening Unix stream socket"
        case .notAListeningUnixStreamSocket(let fd):
            "descriptor \(fd) passed by the service manager is not a listening Unix stream socket (check ListenStream= in the socket unit)"
        case .socketInspectionFailed(let fd, let code):
            "descriptor \(fd) passed by the service manager cannot be inspected: \(Self.explain(code))"
        }
    }

    private static func explain(_ code: Int32) -> String {
        "\(String(cString: strerror(code))) (errno \(code))"
    }

    private static func quoted(_ message: String) -> String {
        "\"" + message.replacing("\n", with: "\\n") + "\""
    }
}

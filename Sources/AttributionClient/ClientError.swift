import AttributionProtocol
import SystemPackage

/// Why a call to the daemon failed: on this side of the socket, on the wire, or on the server.
public enum ClientError: Error, Sendable, CustomStringConvertible {
    /// The socket could not be opened or connected; `errno` says why (`ENOENT`: no daemon, `EACCES`: not in the
    /// socket's group, `ECONNREFUSED`: a stale socket file nobody listens on).
    case cannotConnect(path: String, errno: Int32)
    /// No complete response arrived within the time allowed for the call.
    case timedOut(method: String, after: Duration)
    /// The daemon closed the connection (or reset it) before the response was complete.
    case connectionClosed(method: String, receivedBytes: Int)
    /// Sending or receiving failed for another reason.
    case transport(operation: String, errno: Int32)
    /// The response line is not a JSON-RPC 2.0 response to the request sent.
    case malformedResponse(method: String, reason: String)
    /// The response is larger than the client accepts.
    case responseTooLarge(method: String, limit: Int)
    /// The request's parameters could not be encoded as JSON (a NaN, for instance).
    case cannotEncode(method: String, reason: String)
    /// The connection was closed by `close()` or after an earlier failure left it unusable.
    case notConnected
    /// The daemon answered with an error.
    case server(JSONRPCError)

    public var description: String {
        switch self {
        case .cannotConnect(let path, let errno):
            switch Errno(rawValue: errno) {
            case .noSuchFileOrDirectory:
                "cannot connect to \(path): no such socket: is the daemon running? (socket path \(path))"
            case .connectionRefused:
                "cannot connect to \(path): nothing is listening: is the daemon running? (socket path \(path))"
            case .permissionDenied:
                "cannot connect to \(path): permission denied: are you in the socket's group?"
            default:
                "cannot connect to \(path): \(Errno(rawValue: errno))"
            }
        case .timedOut(let method, let after):
            "no answer to \(method) within \(Self.seconds(after)) s"
        case .connectionClosed(let method, let receivedBytes):
            receivedBytes == 0
                ? "the daemon closed the connection before answering \(method)"
                : "the daemon closed the connection in the middle of its answer to \(method) (after \(receivedBytes) bytes)"
        case .transport(let operation, let errno):
            "\(operation) failed: \(Errno(rawValue: errno))"
        case .malformedResponse(let method, let reason):
            "malformed response to \(method): \(reason)"
        case .responseTooLarge(let method, let limit):
            "the response to \(method) exceeds \(limit) bytes"
        case .cannotEncode(let method, let reason):
            "cannot encode the parameters of \(method): \(reason)"
        case .notConnected:
            "the connection to the daemon is closed"
        case .server(let error):
            "\(error)"
        }
    }

    /// A duration in seconds, without trailing zeros ("0.25", "300").
    private static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let value = Double(seconds) + Double(attoseconds) / 1e18
        return value == value.rounded() ? "\(Int64(value))" : "\(value)"
    }
}

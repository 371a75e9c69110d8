/// Why the server could not listen or run.
public enum RPCServerError: Error, CustomStringConvertible {
    /// A limit is out of range (connections and request bytes must be at least 1, timeouts positive).
    case invalidLimits(reason: String)
    /// The path does not fit a Unix socket address (`sun_path` holds 107 bytes and a terminator).
    case socketPathTooLong(path: String, bytes: Int, limit: Int)
    /// Something other than a socket is at the path; it is left alone.
    case socketPathOccupied(path: String, kind: String)
    /// Another server answers on the socket at the path; it is left alone.
    case addressInUse(path: String)
    /// The path could not be inspected, cleared or bound.
    case socketPathUnusable(path: String, reason: String)
    /// The socket was bound but its permission mode could not be set, so it was closed again.
    case modeNotApplied(path: String, mode: UInt16, reason: String)
    /// The descriptor passed for adoption is not a usable stream socket.
    case adoptedDescriptorUnusable(descriptor: CInt, reason: String)
    /// `run()` was called a second time; a server runs once.
    case alreadyRunning

    public var description: String {
        switch self {
        case .invalidLimits(let reason):
            "invalid server limits: \(reason)"
        case .socketPathTooLong(let path, let bytes, let limit):
            "socket path \(path) is \(bytes) bytes long; a Unix socket path holds at most \(limit)"
        case .socketPathOccupied(let path, let kind):
            "\(path) is a \(kind), not a socket; remove it or choose another socket path"
        case .addressInUse(let path):
            "another server is listening on \(path)"
        case .socketPathUnusable(let path, let reason):
            "cannot listen on \(path): \(reason)"
        case .modeNotApplied(let path, let mode, let reason):
            "cannot set mode \(String(mode, radix: 8)) on \(path): \(reason)"
        case .adoptedDescriptorUnusable(let descriptor, let reason):
            "file descriptor \(descriptor) cannot be served: \(reason)"
        case .alreadyRunning:
            "the server is already running"
        }
    }
}

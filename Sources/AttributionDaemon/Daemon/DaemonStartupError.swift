/// Why the daemon could not start. Each case says what to fix; the process exits non-zero.
public enum DaemonStartupError: Error, CustomStringConvertible {
    /// The configured training directory is missing or not a directory.
    case runDirectoryMissing(String)
    /// The store folder could not be opened or created.
    case storeUnavailable(folder: String, reason: String)
    /// The socket could not be bound or adopted.
    case socketUnavailable(reason: String)

    public var description: String {
        switch self {
        case .runDirectoryMissing(let path):
            "run.directory \(path) does not exist or is not a directory; create it or point the configuration at the training run"
        case .storeUnavailable(let folder, let reason): "cannot open the attribution store in \(folder): \(reason)"
        case .socketUnavailable(let reason): "cannot listen on the socket: \(reason)"
        }
    }
}

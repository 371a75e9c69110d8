/// The error codes the daemon answers with: JSON-RPC 2.0's own (−32700…−32603) and the
/// daemon's server errors (−32000…−32099, as the spec reserves them for implementations).
public enum JSONRPCErrorCode: Int, Sendable, Codable, CaseIterable {
    /// The line is not valid JSON.
    case parseError = -32700
    /// Valid JSON, but not a JSON-RPC 2.0 request object (or a batch, which is not supported).
    case invalidRequest = -32600
    /// No such method.
    case methodNotFound = -32601
    /// The method exists but its parameters are wrong: missing, mistyped, out of range, a
    /// shape that does not fit the model, non-finite values.
    case invalidParams = -32602
    /// The daemon failed on a valid request; the message says what failed.
    case internalError = -32603
    /// The request line exceeds the configured size limit; the connection is closed after it.
    case requestTooLarge = -32000
    /// Too many queries are waiting, or too many connections are open; retry later.
    case serverBusy = -32001
    /// Nothing is indexed yet, or the requested checkpoint is not indexed.
    case notIndexed = -32002
    /// A sample path lies outside the directories the daemon is configured to read.
    case pathNotAllowed = -32003
    /// A sample file could not be read or decoded.
    case unreadableFile = -32004
    /// No such example id or probe.
    case notFound = -32005
    /// The daemon is stopping and takes no new work.
    case shuttingDown = -32006
    /// The request was not answered within the configured time.
    case timedOut = -32007
    /// The indexed training data names no contributors, so there is nobody to credit.
    case noContributors = -32008

    /// The standard short message for the code.
    public var message: String {
        switch self {
        case .parseError: "parse error"
        case .invalidRequest: "invalid request"
        case .methodNotFound: "method not found"
        case .invalidParams: "invalid params"
        case .internalError: "internal error"
        case .requestTooLarge: "request too large"
        case .serverBusy: "server busy"
        case .notIndexed: "not indexed"
        case .pathNotAllowed: "path not allowed"
        case .unreadableFile: "unreadable file"
        case .notFound: "not found"
        case .shuttingDown: "shutting down"
        case .timedOut: "timed out"
        case .noContributors: "no contributors"
        }
    }
}

/// Answers request lines. Implemented by the daemon's method router; the server knows nothing
/// of what the lines mean.
public protocol RequestHandling: Sendable {
    /// The response line (without newline) for one request line (without newline), or nil for a
    /// notification (no response).
    ///
    /// The server calls this for one line of a connection at a time, in a task of its own, and
    /// cancels that task when the request runs past ``RPCServerLimits/requestTimeout``: the client
    /// is then answered "timed out" at once and a late answer is dropped, so long work should stop
    /// on cancellation where it can.
    func respond(to line: [UInt8]) async -> [UInt8]?
}

/// The bounds a server keeps, so that no client can make it use unbounded memory, connections
/// or time.
public struct RPCServerLimits: Sendable, Equatable {
    /// Connections served at once; one more is answered "server busy" and closed.
    public var maxConnections: Int
    /// The longest request line accepted (bytes, without the line end); a longer one is answered
    /// "request too large" and its connection closed.
    public var maxRequestBytes: Int
    /// How long a connection may go without sending a complete request (while no request of its
    /// own is being answered) before it is closed.
    public var idleTimeout: Duration
    /// How long one request may take to be answered before it gets a "timed out" error.
    public var requestTimeout: Duration

    /// Limits; the defaults are those of the shipped configuration file.
    public init(
        maxConnections: Int = 128,
        maxRequestBytes: Int = 16 << 20,
        idleTimeout: Duration = .seconds(60),
        requestTimeout: Duration = .seconds(300)
    ) {
        self.maxConnections = maxConnections
        self.maxRequestBytes = maxRequestBytes
        self.idleTimeout = idleTimeout
        self.requestTimeout = requestTimeout
    }
}

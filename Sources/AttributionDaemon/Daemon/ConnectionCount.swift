import Synchronization

/// The socket server's open-connection count, readable before the server exists: the request
/// router is built first (the server needs it as its handler) and reports this in `status`.
final class ConnectionCount: Sendable {
    private let server = Mutex<RPCServer?>(nil)

    /// Starts reporting `server`'s connections.
    func attach(_ server: RPCServer) {
        self.server.withLock { $0 = server }
    }

    /// Connections open now (0 before the server is attached).
    var value: Int {
        server.withLock { $0?.openConnections ?? 0 }
    }
}

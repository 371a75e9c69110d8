import Synchronization

/// The server's shared state: whether it runs or stops, and the connections it serves (so that
/// stopping can reach each of them, and the count stays within the limit).
final class ConnectionRegistry: Sendable {
    private struct State {
        var running = false
        var shuttingDown = false
        var nextID = 0
        var connections: [Int: ConnectionIdleWatch] = [:]
    }

    private let state = Mutex(State())
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Connections served now.
    var count: Int { state.withLock { $0.connections.count } }

    /// Whether the server is stopping.
    var isShuttingDown: Bool { state.withLock { $0.shuttingDown } }

    /// Marks the server running; false when it already was (a server runs once).
    func markRunning() -> Bool {
        state.withLock { state in
            defer { state.running = true }
            return !state.running
        }
    }

    /// A number naming the next connection in logs.
    func nextConnectionID() -> Int {
        state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
    }

    /// Takes a connection in unless the limit is reached. A connection admitted while the server
    /// stops is told at once.
    func admit(_ id: Int, watch: ConnectionIdleWatch) -> Bool {
        let (admitted, shuttingDown) = state.withLock { state in
            guard state.connections.count < capacity else { return (false, state.shuttingDown) }
            state.connections[id] = watch
            return (true, state.shuttingDown)
        }
        if admitted && shuttingDown { watch.beginShutdown() }
        return admitted
    }

    /// The connection has closed.
    func remove(_ id: Int) {
        _ = state.withLock { $0.connections.removeValue(forKey: id) }
    }

    /// Marks the server stopping and tells every open connection.
    func beginShutdown() {
        let open = state.withLock { state in
            state.shuttingDown = true
            return Array(state.connections.values)
        }
        for watch in open { watch.beginShutdown() }
    }
}

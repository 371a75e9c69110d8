import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// The JSON-RPC transport: a Unix stream socket, one request per line, one answer line per
/// request in order, under ``RPCServerLimits``. It knows nothing of the methods: every line goes
/// to a ``RequestHandling``.
///
/// Stopping gracefully (the service group's shutdown) closes the listening socket, lets each
/// connection's in-flight request finish (bounded by the request timeout), answers requests
/// that arrive meanwhile with "shutting down", and closes every connection shortly after.
/// Cancellation stops everything at once.
public final class RPCServer: Service, Sendable {
    /// How long a stopping server keeps a connection open once no handler call is in progress,
    /// answering "shutting down", so that a client mid-exchange gets an error line rather than a
    /// bare close (see ``ConnectionIdleWatch`` for the bound on what is still unanswered then).
    static let shutdownGrace: Duration = .milliseconds(250)

    private let listener: NIOAsyncChannel<AcceptedConnection, Never>
    private let limits: RPCServerLimits
    private let handler: any RequestHandling
    private let logger: Logger
    private let registry: ConnectionRegistry

    private init(
        listener: NIOAsyncChannel<AcceptedConnection, Never>, registry: ConnectionRegistry, limits: RPCServerLimits,
        handler: any RequestHandling, logger: Logger
    ) {
        self.listener = listener
        self.registry = registry
        self.limits = limits
        self.handler = handler
        self.logger = logger
    }

    /// Binds the path (removing a stale socket file, never a non-socket file, and setting `mode`,
    /// since sockets are otherwise created with the umask) or adopts a socket-activated
    /// listening descriptor. When this returns, the socket accepts connections.
    ///
    /// - Throws: ``RPCServerError``.
    public static func listen(
        on socket: ListeningSocket, limits: RPCServerLimits, handler: any RequestHandling, logger: Logger
    ) async throws -> RPCServer {
        try validate(limits)
        let bootstrap = ServerBootstrap(group: ServerEventLoop.group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            // A client may send its request and shut down its sending side; it still gets answers.
            .childChannelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
        let registry = ConnectionRegistry(capacity: limits.maxConnections)
        let initializeConnection: @Sendable (any Channel) -> EventLoopFuture<AcceptedConnection> = { channel in
            channel.eventLoop.makeCompletedFuture {
                try AcceptedConnection.initialize(channel, id: registry.nextConnectionID(), limits: limits, logger: logger)
            }
        }
        let listener: NIOAsyncChannel<AcceptedConnection, Never>
        switch socket {
        case .path(let path, let mode):
            try UnixSocketFile.clearForBinding(path)
            do {
                listener = try await bootstrap.bind(unixDomainSocketPath: path, childChannelInitializer: initializeConnection)
            } catch {
                throw RPCServerError.socketPathUnusable(path: path, reason: "\(error)")
            }
            do {
                try UnixSocketFile.setMode(mode, at: path)
            } catch {
                try? await listener.channel.close()
                throw error
            }
            logger.info("listening", metadata: ["socket": "\(path)", "mode": "\(String(mode, radix: 8))"])
        case .adopted(let descriptor):
            try UnixSocketFile.validateAdopted(descriptor)
            do {
                listener = try await bootstrap.bind(descriptor, childChannelInitializer: initializeConnection)
            } catch {
                throw RPCServerError.adoptedDescriptorUnusable(descriptor: descriptor, reason: "\(error)")
            }
            logger.info("listening on the adopted socket", metadata: ["fd": "\(descriptor)"])
        }
        return RPCServer(listener: listener, registry: registry, limits: limits, handler: handler, logger: logger)
    }

    /// Serves until graceful shutdown or cancellation.
    ///
    /// - Throws: ``RPCServerError/alreadyRunning`` on a second call.
    public func run() async throws {
        guard registry.markRunning() else { throw RPCServerError.alreadyRunning }
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await listener.executeThenClose { connections in
                    for try await connection in connections {
                        group.addTask { await self.serve(connection) }
                    }
                }
            }
        } onGracefulShutdown: {
            self.beginShutdown()
        }
        logger.info("the socket server has stopped")
    }

    /// Connections open now (for `status`).
    public var openConnections: Int { registry.count }

    private func beginShutdown() {
        logger.info("the socket server is stopping: no new connections, finishing requests in flight")
        registry.beginShutdown()
        listener.channel.close(promise: nil)
    }

    private func serve(_ connection: AcceptedConnection) async {
        guard registry.admit(connection.id, watch: connection.watch) else {
            await refuse(connection)
            return
        }
        defer { registry.remove(connection.id) }
        connection.logger.debug("connection opened")
        let registry = self.registry
        await RPCConnection(
            channel: connection.channel, watch: connection.watch, handler: handler, limits: limits,
            isShuttingDown: { registry.isShuttingDown }, logger: connection.logger
        ).serve()
        connection.logger.debug("connection closed")
    }

    /// Over the connection limit: say so, then close.
    private func refuse(_ connection: AcceptedConnection) async {
        connection.watch.stop()
        connection.logger.warning("refusing a connection: too many open", metadata: ["max_connections": "\(limits.maxConnections)"])
        let line = ServerErrorLines.tooManyConnections(limit: limits.maxConnections)
        do {
            try await connection.channel.executeThenClose { _, outbound in
                try await outbound.write(connection.channel.channel.allocator.responseLine(line))
            }
        } catch {
            connection.logger.debug("could not tell a refused client why", metadata: ["error": "\(error)"])
        }
    }

    private static func validate(_ limits: RPCServerLimits) throws(RPCServerError) {
        guard limits.maxConnections >= 1 else { throw .invalidLimits(reason: "max_connections must be at least 1") }
        guard limits.maxRequestBytes >= 1 else { throw .invalidLimits(reason: "max_request_bytes must be at least 1") }
        guard limits.idleTimeout > .zero else { throw .invalidLimits(reason: "the idle timeout must be positive") }
        guard limits.requestTimeout > .zero else { throw .invalidLimits(reason: "the request timeout must be positive") }
    }
}

/// The event loop the socket server runs on: one thread, for the whole process (the compute
/// runs on its own threads; a second loop would only take a core from it).
enum ServerEventLoop {
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
}

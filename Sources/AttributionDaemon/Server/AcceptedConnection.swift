import Logging
import NIOCore

/// A connection as the listener hands it over: its channel, wrapped for async use, and its idle
/// watch, already running.
struct AcceptedConnection: Sendable {
    /// Names the connection in logs.
    let id: Int
    let channel: NIOAsyncChannel<RequestFrame, ByteBuffer>
    let watch: ConnectionIdleWatch
    let logger: Logger

    /// Sets up the pipeline of a freshly accepted channel, on its event loop: the line decoder,
    /// the arrival counter feeding the idle watch, and the async wrapper, which reads ahead at
    /// most one request so memory per connection stays within a few request lines.
    static func initialize(_ channel: any Channel, id: Int, limits: RPCServerLimits, logger: Logger) throws -> AcceptedConnection {
        var logger = logger
        logger[metadataKey: "connection"] = "\(id)"
        let watch = ConnectionIdleWatch(
            channel: channel, idleTimeout: limits.idleTimeout, shutdownGrace: RPCServer.shutdownGrace, logger: logger)
        let pipeline = channel.pipeline.syncOperations
        try pipeline.addHandler(ByteToMessageHandler(RequestLineDecoder(maxLineBytes: limits.maxRequestBytes)))
        try pipeline.addHandler(RequestArrivalHandler(watch: watch))
        let asyncChannel = try NIOAsyncChannel<RequestFrame, ByteBuffer>(
            wrappingChannelSynchronously: channel,
            configuration: .init(backPressureStrategy: .init(lowWatermark: 1, highWatermark: 1)))
        watch.start()
        return AcceptedConnection(id: id, channel: asyncChannel, watch: watch, logger: logger)
    }
}

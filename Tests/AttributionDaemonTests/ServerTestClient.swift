import NIOCore
import NIOPosix

/// A client connection for transport tests: writes raw text, reads lines.
struct ServerTestClient {
    private var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var pending: [UInt8] = []

    /// Connects to `path` and runs `body` with the connection, closing it afterwards.
    ///
    /// - Parameter greeting: Text sent by the event loop the moment the connection is up, so it
    ///   reaches the server in time even when the test's own task is slow to be scheduled.
    static func connect<T>(to path: String, greeting: String? = nil, _ body: (inout ServerTestClient) async throws -> T) async throws -> T {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(unixDomainSocketPath: path) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let greeting { try channel.pipeline.syncOperations.addHandler(GreetingHandler(greeting: greeting)) }
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                        wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var client = ServerTestClient(iterator: inbound.makeAsyncIterator(), outbound: outbound)
            return try await body(&client)
        }
    }

    /// Sends `text` followed by a newline.
    func send(line text: String) async throws {
        try await send(text + "\n")
    }

    /// Sends `text` as is.
    func send(_ text: String) async throws {
        try await outbound.write(ByteBuffer(string: text))
    }

    /// The sending side, for writing from another task.
    var writer: NIOAsyncChannelOutboundWriter<ByteBuffer> { outbound }

    /// Shuts down the sending side (the server sees end of input).
    func finishSending() {
        outbound.finish()
    }

    /// The next line (without its newline), or nil once the server has closed the connection.
    mutating func readLine() async throws -> String? {
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                return line
            }
            guard let buffer = try await iterator.next() else {
                return nil
            }
            pending.append(contentsOf: buffer.readableBytesView)
        }
    }

    /// Whether the server closes the connection without sending anything more (read errors such
    /// as a reset count as closed).
    mutating func isClosedByServer() async -> Bool {
        do {
            return try await readLine() == nil && pending.isEmpty
        } catch {
            return pending.isEmpty
        }
    }
}

/// Writes a fixed text as soon as its channel is connected.
private final class GreetingHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let greeting: String

    init(greeting: String) {
        self.greeting = greeting
    }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(NIOAny(ByteBuffer(string: greeting)), promise: nil)
        context.fireChannelActive()
    }
}

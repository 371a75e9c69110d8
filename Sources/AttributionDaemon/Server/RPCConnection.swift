import AttributionProtocol
import Logging
import NIOCore

/// Serves one client connection: reads request lines one at a time, answers each before reading
/// the next (so answers come in request order, and a client that pipelines is held back by the
/// socket rather than buffered), and closes on an oversized line, idleness, or server stop.
struct RPCConnection {
    let channel: NIOAsyncChannel<RequestFrame, ByteBuffer>
    let watch: ConnectionIdleWatch
    let handler: any RequestHandling
    let limits: RPCServerLimits
    let isShuttingDown: @Sendable () -> Bool
    let logger: Logger

    /// What to do after one request line.
    private enum Reply {
        case write([UInt8])
        case nothing
        case stop
    }

    func serve() async {
        defer { watch.stop() }
        do {
            try await channel.executeThenClose { inbound, outbound in
                for try await frame in inbound {
                    guard case .line(let line) = frame else {
                        logger.warning("closing a connection that sent a request line over the limit",
                                       metadata: ["max_request_bytes": "\(limits.maxRequestBytes)"])
                        try await outbound.write(lineBuffer(ServerErrorLines.requestTooLarge(limit: limits.maxRequestBytes)))
                        return
                    }
                    switch await answer(line) {
                    case .write(let response): try await outbound.write(lineBuffer(response))
                    case .nothing: continue
                    case .stop: return
                    }
                }
            }
        } catch {
            // The client went away mid-request or mid-answer, or the connection was closed for
            // idleness while an answer was being written: nothing to do but note it.
            logger.debug("connection ended", metadata: ["error": "\(error)"])
        }
    }

    private func answer(_ line: [UInt8]) async -> Reply {
        if isShuttingDown() {
            watch.requestAnswered()
            return reply(to: line, ifRequest: ServerErrorLines.shuttingDown(id:))
        }
        watch.handlerStarted()
        let outcome = await TimedHandlerCall.respond(
            to: line, with: handler, within: limits.requestTimeout, timerLoop: channel.channel.eventLoop)
        watch.requestAnswered()
        switch outcome {
        case .answered(let response):
            return response.map(Reply.write) ?? .nothing
        case .timedOut:
            logger.warning("a request was not answered within the request timeout",
                           metadata: ["request_timeout": "\(ServerErrorLines.describe(limits.requestTimeout))"])
            return reply(to: line) { ServerErrorLines.timedOut(id: $0, after: limits.requestTimeout) }
        case .cancelled:
            return .stop
        }
    }

    /// The server's own answer to `line`, with its id; none for a notification.
    private func reply(to line: [UInt8], ifRequest makeLine: (JSONRPCID) -> [UInt8]) -> Reply {
        switch RequestIDProbe.probe(line) {
        case .request(let id): .write(makeLine(id))
        case .notification: .nothing
        }
    }

    private func lineBuffer(_ line: [UInt8]) -> ByteBuffer {
        channel.channel.allocator.responseLine(line)
    }
}

extension ByteBufferAllocator {
    /// `line` and its newline, as written to a client.
    func responseLine(_ line: [UInt8]) -> ByteBuffer {
        var buffer = buffer(capacity: line.count + 1)
        buffer.writeBytes(line)
        buffer.writeInteger(UInt8(ascii: "\n"))
        return buffer
    }
}

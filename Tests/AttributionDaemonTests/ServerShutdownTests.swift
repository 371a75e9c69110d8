import AttributionDaemon
import AttributionProtocol
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import Testing

@Suite("Socket server: graceful shutdown")
struct ServerShutdownTests {
    @Test("a request in flight is answered, later ones get 'shutting down', then the socket closes")
    func inFlightRequestFinishes() async throws {
        let handler = ServerTestHandler()
        let server = try await withServerInServiceGroup(handler: handler) { _, group, path in
            try await ServerTestClient.connect(to: path) { idle in
                try await idle.send(line: testRequest(id: 0))
                #expect(try await idle.readLine() != nil)
                try await ServerTestClient.connect(to: path) { busy in
                    try await busy.send(line: testRequest(id: 1, method: "gate", ServerTestParams(text: "slow")))
                    try await eventually("the slow request is in flight") { handler.started == 2 }
                    await group.triggerGracefulShutdown()
                    try await eventually("the socket file is gone") { !FileManager.default.fileExists(atPath: path) }
                    await #expect(throws: (any Error).self) {
                        try await ServerTestClient.connect(to: path) { _ in }
                    }
                    // Arrives while the slow one is in flight: refused once the slow one is answered.
                    try await busy.send(line: testRequest(id: 2))
                    handler.openGate()
                    let slow = try decodeResponse(try #require(await busy.readLine()))
                    #expect(slow.id == .number(1))
                    #expect(slow.result?.text == "slow")
                    let refused = try decodeResponse(try #require(await busy.readLine()))
                    #expect(refused.id == .number(2))
                    #expect(refused.error?.knownCode == .shuttingDown)
                    #expect(await busy.isClosedByServer())
                }
                #expect(await idle.isClosedByServer())
            }
        }
        #expect(handler.started == 2, "no request reached the handler after shutdown began")
        #expect(server.openConnections == 0)
    }

    @Test("a client that keeps sending during shutdown is refused each time and still closed")
    func chattyClientCannotHoldShutdown() async throws {
        let handler = ServerTestHandler()
        try await withServerInServiceGroup(handler: handler) { server, group, path in
            try await ServerTestClient.connect(to: path) { client in
                try await client.send(line: testRequest(id: 0))
                #expect(try await client.readLine() != nil)
                let start = ContinuousClock.now
                await group.triggerGracefulShutdown()
                try await eventually("the server stops accepting") { !FileManager.default.fileExists(atPath: path) }
                // Keeps one request always outstanding, so the server never sees the line go quiet.
                // (On a loaded machine the grace may be over before the first one arrives.)
                var sent = 1
                do {
                    try await client.send(line: testRequest(id: sent))
                    while let line = try await client.readLine() {
                        #expect(try decodeResponse(line).error?.knownCode == .shuttingDown)
                        sent += 1
                        try await client.send(line: testRequest(id: sent))
                    }
                } catch {
                    // The server closed the connection while we were sending: what we wait for.
                }
                #expect(ContinuousClock.now - start < .seconds(5))
            }
        }
        #expect(handler.started == 1)
    }

    @Test("a client that stops reading its answers cannot hold a stopping server open")
    func unreadAnswersDoNotHoldShutdown() async throws {
        let handler = ServerTestHandler()
        try await withServerInServiceGroup(handler: handler) { server, group, path in
            try await ServerTestClient.connect(to: path) { client in
                // More answers than the socket buffers hold: the server's writes stall with
                // requests still unanswered.
                let flood = (1...5000).map { testRequest(id: $0, ServerTestParams(text: "padding the answer")) + "\n" }.joined()
                let writer = client.writer
                let flooding = Task { try? await writer.write(ByteBuffer(string: flood)) }
                var answered = 0
                repeat {
                    answered = handler.finished
                    try await Task.sleep(for: .milliseconds(300))
                } while answered == 0 || handler.finished != answered
                let start = ContinuousClock.now
                await group.triggerGracefulShutdown()
                try await eventually("the server has closed the connection") { server.openConnections == 0 }
                let elapsed = ContinuousClock.now - start
                #expect(elapsed >= .seconds(1), "lingers past the grace period while requests are unanswered")
                #expect(elapsed < .seconds(8))
                var answers = 0
                while (try? await client.readLine()) != nil { answers += 1 }
                flooding.cancel()
                #expect(answers > 0 && answers < 5000)
            }
        }
    }

    @Test("an idle connection is closed promptly on shutdown")
    func idleConnectionsClose() async throws {
        try await withServerInServiceGroup { server, group, path in
            try await ServerTestClient.connect(to: path) { client in
                try await client.send(line: testRequest(id: 1))
                #expect(try await client.readLine() != nil)
                let start = ContinuousClock.now
                await group.triggerGracefulShutdown()
                #expect(await client.isClosedByServer())
                #expect(ContinuousClock.now - start < .seconds(5))
            }
        }
    }
}

import AttributionDaemon
import AttributionProtocol
import Testing

@Suite("Socket server: size, time and connection limits")
struct ServerLimitTests {
    @Test("an oversized line is answered 'request too large' and closed; other connections keep working")
    func oversized() async throws {
        let limits = RPCServerLimits(maxRequestBytes: 1024)
        try await withRunningServer(limits: limits) { _, path in
            try await ServerTestClient.connect(to: path) { bystander in
                try await bystander.send(line: testRequest(id: 1))
                #expect(try decodeResponse(try #require(await bystander.readLine())).id == .number(1))

                for terminated in [false, true] {
                    try await ServerTestClient.connect(to: path) { client in
                        try await client.send(line: testRequest(id: 9))
                        try await client.send(String(repeating: "x", count: 4096) + (terminated ? "\n" : ""))
                        #expect(try decodeResponse(try #require(await client.readLine())).id == .number(9))
                        let refusal = try decodeResponse(try #require(await client.readLine()))
                        #expect(refusal.id == .null)
                        #expect(refusal.error?.knownCode == .requestTooLarge)
                        #expect(refusal.error?.data?.reason.contains("1024") == true)
                        #expect(await client.isClosedByServer())
                    }
                }

                try await bystander.send(line: testRequest(id: 2))
                #expect(try decodeResponse(try #require(await bystander.readLine())).id == .number(2))
            }
            try await ServerTestClient.connect(to: path) { client in
                try await client.send(line: testRequest(id: 3))
                #expect(try decodeResponse(try #require(await client.readLine())).id == .number(3))
            }
        }
    }

    @Test("a line of exactly the limit is accepted, with or without CR; one byte more is not")
    func limitBoundary() async throws {
        let base = testRequest(id: 5, ServerTestParams(text: ""))
        let limit = base.utf8.count + 100
        let exact = testRequest(id: 5, ServerTestParams(text: String(repeating: "y", count: 100)))
        #expect(exact.utf8.count == limit)
        let over = testRequest(id: 6, ServerTestParams(text: String(repeating: "y", count: 101)))
        try await withRunningServer(limits: RPCServerLimits(maxRequestBytes: limit)) { _, path in
            for ending in ["\n", "\r\n"] {
                try await ServerTestClient.connect(to: path) { client in
                    try await client.send(exact + ending)
                    #expect(try decodeResponse(try #require(await client.readLine())).id == .number(5))
                    try await client.send(over + ending)
                    #expect(try decodeResponse(try #require(await client.readLine())).error?.knownCode == .requestTooLarge)
                    #expect(await client.isClosedByServer())
                }
            }
        }
    }

    @Test("a client that stalls mid-line, or says nothing, is closed after the idle timeout")
    func idleClients() async throws {
        let limits = RPCServerLimits(idleTimeout: .milliseconds(300))
        try await withRunningServer(limits: limits) { server, path in
            for greeting in ["{\"jsonrpc\":\"2.0\",\"id\":1,", ""] {
                // Taken before connecting: the server's clock starts later, once it has accepted.
                let start = ContinuousClock.now
                try await ServerTestClient.connect(to: path) { client in
                    // On a loaded machine the server may have closed the connection before this
                    // task gets to send: that is the behaviour under test too.
                    if !greeting.isEmpty { try? await client.send(greeting) }
                    #expect(await client.isClosedByServer())
                    #expect(ContinuousClock.now - start >= .milliseconds(250))
                }
            }
            try await eventually("idle connections are gone") { server.openConnections == 0 }
        }
    }

    @Test("the idle clock stops while a request is being answered")
    func slowRequestIsNotIdle() async throws {
        let limits = RPCServerLimits(idleTimeout: .milliseconds(300))
        try await withRunningServer(limits: limits) { _, path in
            let request = testRequest(id: 1, method: "sleep", ServerTestParams(milliseconds: 1000)) + "\n"
            try await ServerTestClient.connect(to: path, greeting: request) { client in
                let response = try decodeResponse(try #require(await client.readLine()))
                #expect(response.id == .number(1))
                #expect(response.error == nil)
            }
        }
    }

    @Test("a request over the request timeout gets 'timed out' with its id, and the connection stays usable",
          arguments: ["sleep", "stubborn"])
    func requestTimeout(method: String) async throws {
        let limits = RPCServerLimits(requestTimeout: .seconds(2))
        let handler = ServerTestHandler()
        try await withRunningServer(limits: limits, handler: handler) { _, path in
            try await ServerTestClient.connect(to: path) { client in
                let start = ContinuousClock.now
                try await client.send(line: testRequest(id: 11, method: method, ServerTestParams(milliseconds: 10_000)))
                let response = try decodeResponse(try #require(await client.readLine()))
                // Far sooner than the handler would answer: the server did not wait for it.
                #expect(ContinuousClock.now - start < .seconds(8))
                #expect(response.id == .number(11))
                #expect(response.error?.knownCode == .timedOut)
                try await client.send(line: testRequest(id: 12, ServerTestParams(text: "after")))
                let next = try decodeResponse(try #require(await client.readLine()))
                #expect(next.id == .number(12))
                #expect(next.result?.text == "after")
            }
            if method == "sleep" {
                // The timed-out call was cancelled, so a handler that heeds cancellation stops early.
                try await eventually("the timed-out call stops", within: .seconds(5)) { handler.finished == 2 }
            }
        }
    }

    @Test("a notification over the request timeout stays unanswered")
    func notificationTimeout() async throws {
        let limits = RPCServerLimits(requestTimeout: .seconds(2))
        try await withRunningServer(limits: limits) { _, path in
            try await ServerTestClient.connect(to: path) { client in
                try await client.send(line: testRequest(id: nil, method: "sleep", ServerTestParams(milliseconds: 10_000)))
                try await client.send(line: testRequest(id: 13))
                #expect(try decodeResponse(try #require(await client.readLine())).id == .number(13))
            }
        }
    }

    @Test("beyond the connection limit a client is told 'server busy' and closed; a freed slot is reused")
    func connectionLimit() async throws {
        try await withRunningServer(limits: RPCServerLimits(maxConnections: 2)) { server, path in
            try await ServerTestClient.connect(to: path) { first in
                try await first.send(line: testRequest(id: 1))
                #expect(try decodeResponse(try #require(await first.readLine())).id == .number(1))
                try await ServerTestClient.connect(to: path) { second in
                    try await second.send(line: testRequest(id: 2))
                    #expect(try decodeResponse(try #require(await second.readLine())).id == .number(2))
                    #expect(server.openConnections == 2)
                    try await ServerTestClient.connect(to: path) { third in
                        let refusal = try decodeResponse(try #require(await third.readLine()))
                        #expect(refusal.error?.knownCode == .serverBusy)
                        #expect(refusal.error?.data?.reason.contains("too many connections") == true)
                        #expect(await third.isClosedByServer())
                    }
                }
                try await eventually("the second slot is free") { server.openConnections == 1 }
                try await ServerTestClient.connect(to: path) { fourth in
                    try await fourth.send(line: testRequest(id: 4))
                    #expect(try decodeResponse(try #require(await fourth.readLine())).id == .number(4))
                }
            }
        }
    }
}

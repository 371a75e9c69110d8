import AttributionDaemon
import AttributionProtocol
import Testing

@Suite("Socket server: requests and answers")
struct ServerRoundTripTests {
    @Test("a request gets its answer with its id")
    func roundTrip() async throws {
        try await withRunningServer { _, path in
            try await ServerTestClient.connect(to: path) { client in
                try await client.send(line: testRequest(id: 7, ServerTestParams(text: "hello")))
                let response = try decodeResponse(try #require(await client.readLine()))
                #expect(response.id == .number(7))
                #expect(response.result == ServerTestParams(text: "hello"))
                #expect(response.error == nil)
            }
        }
    }

    @Test("pipelined requests are answered in order; CRLF ends a line and blank lines are skipped")
    func pipelined() async throws {
        try await withRunningServer { _, path in
            try await ServerTestClient.connect(to: path) { client in
                var batch = ""
                for id in 0..<20 {
                    let method = id % 3 == 0 ? "sleep" : "echo"
                    batch += testRequest(id: id, method: method, ServerTestParams(text: "r\(id)", milliseconds: 5 * (id % 4)))
                    batch += id % 2 == 0 ? "\r\n" : "\n"
                    if id % 5 == 0 { batch += "\n  \r\n" }
                }
                try await client.send(batch)
                for id in 0..<20 {
                    let response = try decodeResponse(try #require(await client.readLine()))
                    #expect(response.id == .number(Int64(id)))
                    #expect(response.result?.text == "r\(id)")
                }
            }
        }
    }

    @Test("a request split over many writes is read whole")
    func splitWrites() async throws {
        try await withRunningServer { _, path in
            try await ServerTestClient.connect(to: path) { client in
                let line = testRequest(id: 3, ServerTestParams(text: String(repeating: "abc", count: 50)))
                for character in line { try await client.send(String(character)) }
                try await client.send("\n")
                let response = try decodeResponse(try #require(await client.readLine()))
                #expect(response.id == .number(3))
                #expect(response.result?.text == String(repeating: "abc", count: 50))
            }
        }
    }

    @Test("a request of megabytes arriving over many reads is read whole")
    func largeRequest() async throws {
        let text = String(repeating: "0123456789abcdef", count: 1 << 16)
        try await withRunningServer { _, path in
            try await ServerTestClient.connect(to: path) { client in
                try await client.send(line: testRequest(id: 4, ServerTestParams(text: text)))
                let response = try decodeResponse(try #require(await client.readLine()))
                #expect(response.id == .number(4))
                #expect(response.result?.text == text)
            }
        }
    }

    @Test("a notification gets no answer")
    func notification() async throws {
        let handler = ServerTestHandler()
        try await withRunningServer(handler: handler) { _, path in
            try await ServerTestClient.connect(to: path) { client in
                try await client.send(line: testRequest(id: nil, ServerTestParams(text: "quiet")))
                try await client.send(line: testRequest(id: 2, ServerTestParams(text: "loud")))
                let response = try decodeResponse(try #require(await client.readLine()))
                #expect(response.id == .number(2))
                #expect(handler.started == 2)
            }
        }
    }

    @Test("a client that shuts down its sending side after a last unterminated line still gets the answer")
    func halfClose() async throws {
        try await withRunningServer { _, path in
            try await ServerTestClient.connect(to: path) { client in
                try await client.send(line: testRequest(id: 1))
                try await client.send(testRequest(id: 2))
                client.finishSending()
                #expect(try decodeResponse(try #require(await client.readLine())).id == .number(1))
                #expect(try decodeResponse(try #require(await client.readLine())).id == .number(2))
                #expect(await client.isClosedByServer())
            }
        }
    }

    @Test("100 clients at once, several requests each, all answered correctly")
    func concurrentClients() async throws {
        try await withRunningServer { server, path in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for clientNumber in 0..<100 {
                    group.addTask {
                        try await ServerTestClient.connect(to: path) { client in
                            var correct = 0
                            for request in 0..<5 {
                                let id = clientNumber * 100 + request
                                try await client.send(line: testRequest(id: id, ServerTestParams(text: "c\(clientNumber)-\(request)")))
                                let response = try decodeResponse(try #require(await client.readLine()))
                                if response.id == .number(Int64(id)) && response.result?.text == "c\(clientNumber)-\(request)" { correct += 1 }
                            }
                            return correct
                        }
                    }
                }
                var total = 0
                for try await correct in group { total += correct }
                #expect(total == 500)
            }
            try await eventually("all connections closed") { server.openConnections == 0 }
        }
    }

    @Test("clients that leave mid-request or mid-answer do not hurt the server")
    func disconnects() async throws {
        let handler = ServerTestHandler()
        try await withRunningServer(handler: handler) { server, path in
            try await ServerTestClient.connect(to: path) { client in
                try await client.send(line: testRequest(id: 1, method: "sleep", ServerTestParams(milliseconds: 200)))
            }
            try await ServerTestClient.connect(to: path) { client in
                try await client.send(line: testRequest(id: 2, method: "big", ServerTestParams(bytes: 4 << 20)))
            }
            try await ServerTestClient.connect(to: path) { client in
                try await client.send("{\"jsonrpc\":\"2.0\",\"id\":3,\"meth")
            }
            // The cut-off line reaches the handler at end of input (and gets a parse error nobody reads).
            try await eventually("the abandoned requests finished") { handler.finished == 3 }
            try await eventually("the abandoned connections closed") { server.openConnections == 0 }
            try await ServerTestClient.connect(to: path) { client in
                try await client.send(line: testRequest(id: 4, ServerTestParams(text: "still here")))
                #expect(try decodeResponse(try #require(await client.readLine())).result?.text == "still here")
            }
        }
    }
}

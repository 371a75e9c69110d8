@testable import AttributionClient
import AttributionProtocol
import Foundation
import Glibc
import Testing

/// The client against a real Unix socket served by `ClientTestServer`.
@Suite struct AttributionClientTests {
    static let status = StatusResult(
        version: "test", startedAt: Date(timeIntervalSince1970: 1_700_000_000), uptimeSeconds: 12.5, runDirectory: "/run-dir",
        storeDirectory: "/store", checkpoints: .init(known: 3, indexed: 2, indexing: 1, failed: 0, retired: 0, latestIndexed: 400),
        examples: .init(training: 64, heldOut: 8, shardsAccepted: 4, shardsRejected: 1),
        backlog: .init(pendingJobs: 2, failedJobs: 0, completedJobs: 9, running: nil), errors: [], probes: 1, connections: 1)

    static func example(id: Int64, image: SampleTensor? = nil) -> ExampleResult {
        ExampleResult(id: id, shard: "shard-00001.safetensors", row: Int(id % 16), contributor: 3, contributorName: "carol", label: nil,
                      heldOut: false, selfInfluence: [StepValue(step: 400, value: 0.5)], image: image)
    }

    /// A server answering `status` and `example` (echoing the id asked for), checking that
    /// request ids count up from 1.
    static func answeringServer() throws -> ClientTestServer {
        try ClientTestServer { connection in
            var expectedID: Int64 = 1
            while let line = connection.readLine() {
                guard let header = try? ProtocolCoding.decodeHeader(line), header.id == .number(expectedID) else { return }
                expectedID += 1
                switch header.method {
                case RPCMethod.status.rawValue:
                    try? connection.respond(to: line, with: status)
                case RPCMethod.example.rawValue:
                    guard let params = try? ProtocolCoding.decodeParams(ExampleParams.self, from: line) else { return }
                    try? connection.respond(to: line, with: example(id: params.id))
                default:
                    connection.writeLine(ProtocolCoding.errorLine(id: header.id ?? .null, error: JSONRPCError(.methodNotFound)))
                }
            }
        }
    }

    @Test func callsRoundTripWithIncreasingIDs() throws {
        let server = try Self.answeringServer()
        defer { server.stop() }
        let client = try AttributionClient(socketPath: server.path, timeout: .seconds(10))
        #expect(try client.call(.status, as: StatusResult.self) == Self.status)
        #expect(try client.call(.example, ExampleParams(id: 42), as: ExampleResult.self) == Self.example(id: 42))
        #expect(try client.call(.example, ExampleParams(id: 7), as: ExampleResult.self).id == 7)
        client.close()
        #expect(throws: ClientError.self) { try client.call(.status, as: StatusResult.self) }
    }

    @Test func errorResponsesThrowTheServerErrorAndKeepTheConnection() throws {
        let server = try Self.answeringServer()
        defer { server.stop() }
        let client = try AttributionClient(socketPath: server.path, timeout: .seconds(10))
        do {
            _ = try client.call(.probesList, as: ProbesListResult.self)
            Issue.record("an error response returned a result")
        } catch {
            guard case .server(let serverError) = error else { throw error }
            #expect(serverError.knownCode == .methodNotFound)
        }
        #expect(try client.call(.status, as: StatusResult.self) == Self.status)
    }

    @Test func assemblesAResponseSentInSmallPieces() throws {
        let server = try ClientTestServer { connection in
            guard let line = connection.readLine(), let header = try? ProtocolCoding.decodeHeader(line),
                  let response = try? ProtocolCoding.encodeLine(JSONRPCResponse(id: header.id ?? .null, result: Self.status)) else { return }
            for start in stride(from: 0, to: response.count, by: 7) {
                connection.write(Array(response[start..<min(start + 7, response.count)]))
                usleep(200)
            }
            connection.write([UInt8(ascii: "\n")])
            _ = connection.readLine()
        }
        defer { server.stop() }
        let client = try AttributionClient(socketPath: server.path, timeout: .seconds(10))
        #expect(try client.call(.status, as: StatusResult.self) == Self.status)
    }

    @Test func receivesAResponseOfSeveralMegabytes() throws {
        let values = (0..<(3 * 512 * 512)).map { (index: Int) -> Float in Float(index % 255) / 127.5 - 1 }
        let image = SampleTensor(values: values, shape: [3, 512, 512])
        let server = try ClientTestServer { connection in
            guard let line = connection.readLine() else { return }
            try? connection.respond(to: line, with: Self.example(id: 5, image: image))
            _ = connection.readLine()
        }
        defer { server.stop() }
        let client = try AttributionClient(socketPath: server.path, timeout: .seconds(30))
        let result = try client.call(.example, ExampleParams(id: 5, includeImage: true), as: ExampleResult.self)
        #expect(image.data.utf8.count > 4_000_000)
        #expect(try result.image?.values(maximumElements: values.count) == values)
    }

    @Test func aResponseCutShortIsConnectionClosed() throws {
        let server = try ClientTestServer { connection in
            guard let line = connection.readLine(), let response = try? ProtocolCoding.encodeLine(
                JSONRPCResponse(id: (try? ProtocolCoding.decodeHeader(line).id) ?? .null, result: Self.status)) else { return }
            connection.write(Array(response.prefix(response.count / 2)))
        }
        defer { server.stop() }
        let client = try AttributionClient(socketPath: server.path, timeout: .seconds(10))
        do {
            _ = try client.call(.status, as: StatusResult.self)
            Issue.record("a truncated response was accepted")
        } catch {
            guard case .connectionClosed(let method, let receivedBytes) = error else { throw error }
            #expect(method == "status")
            #expect(receivedBytes > 0)
        }
        do {
            _ = try client.call(.status, as: StatusResult.self)
            Issue.record("a broken connection was reused")
        } catch {
            guard case .notConnected = error else { throw error }
        }
    }

    @Test func aResponseWithAnotherIDIsMalformed() throws {
        let server = try ClientTestServer { connection in
            guard connection.readLine() != nil, let response = try? ProtocolCoding.encodeLine(JSONRPCResponse(id: .number(99), result: Self.status))
            else { return }
            connection.writeLine(response)
            _ = connection.readLine()
        }
        defer { server.stop() }
        let client = try AttributionClient(socketPath: server.path, timeout: .seconds(10))
        do {
            _ = try client.call(.status, as: StatusResult.self)
            Issue.record("a response to another request was accepted")
        } catch {
            guard case .malformedResponse(_, let reason) = error else { throw error }
            #expect(reason.contains("99"))
        }
    }

    @Test func aResultOfTheWrongShapeIsMalformed() throws {
        let server = try ClientTestServer { connection in
            guard let line = connection.readLine() else { return }
            try? connection.respond(to: line, with: ProbeRemoveResult(removed: true))
            _ = connection.readLine()
        }
        defer { server.stop() }
        let client = try AttributionClient(socketPath: server.path, timeout: .seconds(10))
        do {
            _ = try client.call(.status, as: StatusResult.self)
            Issue.record("a result of another type was accepted")
        } catch {
            guard case .malformedResponse(let method, _) = error else { throw error }
            #expect(method == "status")
        }
    }

    @Test func aMissingSocketAsksWhetherTheDaemonRuns() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("no-daemon-\(UUID().uuidString.prefix(8)).sock").path
        do {
            _ = try AttributionClient(socketPath: path, timeout: .seconds(1))
            Issue.record("connected to a missing socket")
        } catch {
            guard case .cannotConnect(let failedPath, _) = error else { throw error }
            #expect(failedPath == path)
            #expect(error.description.contains("is the daemon running?"))
            #expect(error.description.contains(path))
        }
    }

    @Test func permissionDeniedPointsAtTheSocketsGroup() {
        let error = ClientError.cannotConnect(path: "/run/attributiond.sock", errno: EACCES)
        #expect(error.description.contains("permission denied: are you in the socket's group?"))
    }

    @Test func aSilentServerTimesOut() throws {
        let server = try ClientTestServer { connection in
            _ = connection.readLine()
            _ = connection.readLine()
        }
        defer { server.stop() }
        let client = try AttributionClient(socketPath: server.path, timeout: .milliseconds(200))
        let started = ContinuousClock.now
        do {
            _ = try client.call(.status, as: StatusResult.self)
            Issue.record("a call without an answer returned")
        } catch {
            guard case .timedOut(let method, let after) = error else { throw error }
            #expect(method == "status")
            #expect(after == .milliseconds(200))
        }
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .milliseconds(190) && elapsed < .seconds(5))
    }

    @Test func exchangeReturnsTheRawResponseLine() throws {
        let answer = ProtocolCoding.errorLine(id: .null, error: JSONRPCError(.parseError, reason: "the line is not valid JSON"))
        let server = try ClientTestServer { connection in
            guard connection.readLine() == Array("{not json".utf8) else { return }
            connection.writeLine(answer)
            _ = connection.readLine()
        }
        defer { server.stop() }
        let client = try AttributionClient(socketPath: server.path, timeout: .seconds(10))
        #expect(try client.exchange(rawLine: Array("{not json".utf8)) == answer)
    }

    @Test func anAnswerSentBeforeTheServerHangsUpMidRequestIsRead() throws {
        let server = try ClientTestServer { connection in
            _ = connection.readSome(1024)
            connection.writeLine(ProtocolCoding.errorLine(id: .null, error: JSONRPCError(.requestTooLarge, reason: "over the limit")))
        }
        defer { server.stop() }
        let client = try AttributionClient(socketPath: server.path, timeout: .seconds(10))
        let values = [Float](repeating: 0.5, count: 4 << 20)
        do {
            _ = try client.call(.attribute, AttributeParams(samples: SampleTensor(values: values, shape: [4, 1, 1024, 1024])), as: AttributeResult.self)
            Issue.record("an oversized request got a result")
        } catch {
            guard case .server(let serverError) = error else { throw error }
            #expect(serverError.knownCode == .requestTooLarge)
        }
    }

    @Test func lineBufferCutsLinesAcrossChunks() {
        var buffer = LineBuffer()
        func take() -> String? { buffer.takeLine().map { String(decoding: $0, as: UTF8.self) } }
        func append(_ text: String) { Array(text.utf8).withUnsafeBytes { buffer.append($0) } }
        append("ab")
        #expect(take() == nil)
        append("c\nde\n\nf")
        #expect(take() == "abc")
        #expect(take() == "de")
        #expect(take() == "")
        #expect(take() == nil)
        #expect(buffer.count == 1)
        append("g\n")
        #expect(take() == "fg")
        #expect(buffer.count == 0)
    }
}

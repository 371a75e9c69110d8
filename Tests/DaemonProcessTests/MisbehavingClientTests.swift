import AttributionClient
import AttributionProtocol
import Foundation
import Testing

extension DaemonProcesses {
    /// Clients that send too much, stall, or vanish mid-request cost the daemon one connection
    /// each and nothing more: others are served meanwhile, and the daemon stays up.
    @Suite struct MisbehavingClients {
        /// One mebibyte: sixteen times the request limit these tests configure.
        static let oversized = 1 << 20

        @Test(.timeLimit(.minutes(3)))
        func anOversizedRequestGetsMinus32000AndItsConnectionClosed() throws {
            let fixture = try DaemonFixture { $0.maxRequestBytes = 64 << 10 }
            try fixture.startServing()

            // A request line of 1 MiB (a huge base64 payload), newline at the end.
            let prefix = #"{"jsonrpc":"2.0","id":5,"method":"attribute","params":{"samples":{"shape":[1,3,8,8],"data":""#
            var line = Array(prefix.utf8) + [UInt8](repeating: UInt8(ascii: "A"), count: Self.oversized) + Array(#""}}}"#.utf8)
            line.append(UInt8(ascii: "\n"))
            try Self.expectRefusedAndClosed(sending: line, fixture)
            // A stream of bytes that never ends its line is cut off the same way.
            try Self.expectRefusedAndClosed(sending: [UInt8](repeating: UInt8(ascii: " "), count: Self.oversized), fixture)
            // A request just under the limit is read (and refused only for its content).
            let near = try fixture.rawSocket().exchange(rawLine: String(decoding: line.prefix(60 << 10), as: UTF8.self))
            #expect(near.error?.code == -32700)
            #expect(try fixture.client().status().runDirectory == fixture.run.folder.path)
        }

        /// Sends `bytes` on a new connection and expects one `-32000` response, then the close.
        static func expectRefusedAndClosed(sending bytes: [UInt8], _ fixture: DaemonFixture) throws {
            let connection = try fixture.rawSocket()
            try connection.send(bytes, timeout: 30)
            let lines = try connection.linesUntilClosed(timeout: 15)
            #expect(lines.count == 1, "expected one error line before the close, got \(lines.count)")
            let response = try LineSocket.decode(try #require(lines.first))
            #expect(response.error?.code == -32000, "\(String(describing: response.error))")
            // A new connection is served as before.
            #expect(try fixture.client(seconds: 10).status().connections >= 1)
        }

        @Test(.timeLimit(.minutes(3)))
        func aStalledClientIsDisconnectedAfterTheIdleTimeoutWhileOthersAreServed() throws {
            let fixture = try DaemonFixture { $0.idleTimeoutSeconds = 1 }
            try fixture.startServing()

            let halfLine = try fixture.rawSocket()
            try halfLine.send(Array(#"{"jsonrpc":"2.0","id":1,"meth"#.utf8))
            let silent = try fixture.rawSocket()
            let stalledAt = Date()

            // Another client keeps being served, on one connection, while the two stall.
            let busy = try fixture.client(seconds: 10)
            for _ in 0..<8 {
                #expect(try busy.status().runDirectory == fixture.run.folder.path)
                Thread.sleep(forTimeInterval: 0.25)
            }
            for (name, connection) in [("half a line", halfLine), ("silent", silent)] {
                let lines = try connection.linesUntilClosed(timeout: 10)
                let waited = Date().timeIntervalSince(stalledAt)
                #expect(waited >= 0.9, "\(name): closed after \(waited) s, before the 1 s idle timeout")
                for line in lines {
                    #expect(try LineSocket.decode(line).error != nil, "\(name) got a non-error line before the close")
                }
            }
            #expect(try busy.status().connections >= 1)
        }

        @Test(.timeLimit(.minutes(4)))
        func clientsVanishingMidRequestLeaveTheDaemonServing() throws {
            let fixture = try DaemonFixture()
            let ids = try fixture.run.addShard(0)
            try fixture.run.addCheckpoint(step: 1)
            try fixture.startServing()
            try fixture.waitForIndexed(step: 1, examples: ids.count)
            let samples = SampleTensor(values: TinyRun.inlineSamples(count: 4), shape: [4] + TinyRun.imageShape)
            let attribute = try ProtocolCoding.encodeLine(JSONRPCRequest(id: .number(1), method: .attribute,
                                                                         params: AttributeParams(samples: samples, topK: 3)))
            let status = Array(#"{"jsonrpc":"2.0","id":2,"method":"status"}"#.utf8) + [UInt8(ascii: "\n")]

            for _ in 0..<5 {
                // Half a request, then gone.
                var connection = try fixture.rawSocket()
                try connection.send(Array(attribute.prefix(attribute.count / 2)))
                connection.close()
                // A whole query, gone before its answer is written.
                connection = try fixture.rawSocket()
                try connection.send(attribute + [UInt8(ascii: "\n")])
                connection.close()
                // Many pipelined requests whose answers have nowhere to go.
                connection = try fixture.rawSocket()
                try connection.send(Array(repeating: status, count: 200).flatMap { $0 })
                connection.close()
            }
            let daemon = try fixture.running()
            #expect(daemon.process.isRunning, "the daemon died; log:\n\(daemon.log)")
            let result = try fixture.client().attribute(samples: 1, topK: 2)
            #expect(result.examplesScored == ids.count)
            try waitUntil("the abandoned connections closed", timeout: 30) { try fixture.client(seconds: 10).status().connections == 1 }
        }
    }
}

import AttributionClient
import AttributionProtocol
import Foundation
import Testing

extension DaemonProcesses {
    /// The configured limits hold: connections beyond `max_connections` and queries beyond
    /// `max_queued` get "server busy", a request not answered within `request_timeout_seconds`
    /// gets "timed out", and the daemon goes on serving after each.
    @Suite struct ServerLimits {
        @Test(.timeLimit(.minutes(3)))
        func connectionsBeyondTheLimitGetServerBusy() throws {
            let fixture = try DaemonFixture { $0.maxConnections = 4 }
            try fixture.startServing()
            // Four served connections (retrying while the daemon still counts the probes of
            // start-up, whose closing it may not have noticed yet).
            let held = try (0..<4).map { _ in
                try eventually("a served connection", timeout: 10, interval: 0.05) { () -> AttributionClient? in
                    let client = try fixture.client(seconds: 10)
                    _ = try client.status()
                    return client
                }
            }

            let extra = try fixture.rawSocket()
            try extra.sendLine(#"{"jsonrpc":"2.0","id":1,"method":"status"}"#)
            let lines = try extra.linesUntilClosed(timeout: 10)
            #expect(lines.count == 1, "\(lines.count) lines to a connection over the limit")
            #expect(try lines.first.map(LineSocket.decode)?.error?.code == -32001)

            // A freed slot is served again.
            held[0].close()
            let status = try eventually("a connection after one closed", timeout: 10, interval: 0.1) { try fixture.client(seconds: 5).status() }
            #expect(status.connections <= 4)
            #expect(try held[1].status().connections <= 4)
        }

        @Test(.timeLimit(.minutes(4)))
        func queriesBeyondTheQueueGetServerBusy() throws {
            let fixture = try DaemonFixture { $0.maxQueued = 1 }
            let ids = try fixture.run.addShard(0)
            try fixture.run.addCheckpoint(step: 1)
            try fixture.startServing()
            try fixture.waitForIndexed(step: 1, examples: ids.count)
            let socket = fixture.settings.socketPath

            // Eight clients at once, each with the largest query allowed: one runs, one waits,
            // and the rest find the queue full.
            let codes = SharedList<Int>(), failures = FailureLog()
            let finished = DispatchSemaphore(value: 0)
            for index in 0..<8 {
                Thread.detachNewThread {
                    if let outcome = failures.recording("client \(index)", { try code { try AttributionClient.connect(socket).attribute(samples: 16, topK: 2) } }) {
                        codes.append(outcome ?? 0)
                    }
                    finished.signal()
                }
            }
            for _ in 0..<8 where finished.wait(timeout: .now() + 180) == .timedOut { throw TestFailure("a query client did not finish") }
            #expect(failures.all.isEmpty, "\(failures.all)")
            let outcomes = codes.all
            #expect(outcomes.count == 8 && Set(outcomes).isSubset(of: [0, -32001]), "outcomes \(outcomes)")
            #expect(outcomes.contains(0) && outcomes.contains(-32001), "outcomes \(outcomes)")
            #expect(try fixture.client().attribute(samples: 1, topK: 2).examplesScored == ids.count)
        }

        @Test(.timeLimit(.minutes(3)))
        func aRequestNotAnsweredInTimeGetsTimedOut() throws {
            let fixture = try DaemonFixture { $0.requestTimeoutSeconds = 0.05 }
            let ids = try fixture.run.addShard(0)
            try fixture.run.addCheckpoint(step: 1)
            try fixture.startServing()
            try fixture.waitForIndexed(step: 1, examples: ids.count)

            // Sixteen query gradients through the UNet take far longer than 50 ms in a debug build.
            let client = try fixture.client()
            #expect(try code { try client.attribute(samples: 16, topK: 2) } == -32007)
            #expect(try client.status().runDirectory == fixture.run.folder.path, "the connection is unusable after a timeout")
        }
    }
}

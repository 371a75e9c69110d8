import AttributionClient
import AttributionProtocol
import Foundation
import Testing

extension DaemonProcesses {
    /// Many clients at once, each on its own connection and thread, are all answered correctly,
    /// and a flood of requests (malformed and oversized ones included) leaves the daemon's memory
    /// where it was.
    @Suite struct ConcurrentClients {
        @Test(.timeLimit(.minutes(6)))
        func hundredClientsAtOnceAreAllAnsweredAndMemoryStaysBounded() throws {
            let fixture = try DaemonFixture { $0.maxRequestBytes = 64 << 10 }
            let ids = try fixture.run.addShard(0)
            try fixture.run.addCheckpoint(step: 1)
            try fixture.startServing()
            try fixture.waitForIndexed(step: 1, examples: ids.count)
            let daemon = try fixture.running()
            let socket = fixture.settings.socketPath
            let runDirectory = fixture.run.folder.path

            // 100 clients connect, wait for each other, then call status and checkpoints 5 times
            // each, and stay connected until every one is done.
            let failures = FailureLog()
            let connected = DispatchSemaphore(value: 0), go = DispatchSemaphore(value: 0), answered = DispatchSemaphore(value: 0)
            let release = DispatchSemaphore(value: 0), finished = DispatchSemaphore(value: 0)
            let clients = 100
            for index in 0..<clients {
                Thread.detachNewThread {
                    let client = failures.recording("client \(index) connecting") { try AttributionClient.connect(socket, seconds: 60) }
                    connected.signal()
                    go.wait()
                    if let client {
                        _ = failures.recording("client \(index)") {
                            for _ in 0..<5 {
                                let status = try client.status()
                                let checkpoints = try client.checkpoints()
                                guard status.runDirectory == runDirectory, checkpoints.map(\.step) == [1], checkpoints[0].examples == ids.count else {
                                    throw TestFailure("wrong answer: \(status.runDirectory), \(checkpoints)")
                                }
                            }
                        }
                    }
                    answered.signal()
                    release.wait()
                    client?.close()
                    finished.signal()
                }
            }
            try Self.wait(connected, count: clients, "clients connected")
            for _ in 0..<clients { go.signal() }
            try Self.wait(answered, count: clients, "clients answered")
            // Every client is still connected: the daemon holds 100 connections plus this one.
            let open = try fixture.client().status().connections
            for _ in 0..<clients { release.signal() }
            try Self.wait(finished, count: clients, "clients finished")
            #expect(failures.all.isEmpty, "\(failures.all.prefix(5))")
            #expect(open >= clients + 1, "only \(open) connections open at once")

            // Memory: after a first flood has warmed every buffer and cache, two more floods of
            // 2,000 requests (of which 100 are 1 MiB lines, 100 MiB per flood) must not grow the
            // resident set by 64 MiB. Each connection buffers at most max_request_bytes (64 KiB),
            // so 20 flooding connections account for under 2 MiB; a daemon that kept any large
            // share of the refused payloads, or leaked per request, would exceed the bound.
            try RequestFlood.run(socket: socket, requests: 2_000, threads: 20)
            let before = try Self.residentBytes(of: daemon.pid)
            try RequestFlood.run(socket: socket, requests: 2_000, threads: 20)
            try RequestFlood.run(socket: socket, requests: 2_000, threads: 20)
            let after = try Self.residentBytes(of: daemon.pid)
            let growth = after - before
            #expect(growth < 64 << 20, "resident set grew by \(growth >> 20) MiB (from \(before >> 20) to \(after >> 20) MiB)")
            #expect(daemon.process.isRunning)
            #expect(try fixture.client().status().runDirectory == runDirectory)
        }

        /// Waits for `count` signals of `semaphore`, each within 120 s.
        static func wait(_ semaphore: DispatchSemaphore, count: Int, _ what: String) throws {
            for received in 0..<count where semaphore.wait(timeout: .now() + 120) == .timedOut {
                throw TestFailure("\(what): only \(received) of \(count)")
            }
        }

        /// `VmRSS` of process `pid`, in bytes.
        static func residentBytes(of pid: Int32) throws -> Int {
            let text = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
                  let kilobytes = Int(line.split(whereSeparator: \.isWhitespace).dropFirst().first ?? "") else {
                throw TestFailure("no VmRSS in /proc/\(pid)/status")
            }
            return kilobytes * 1024
        }
    }
}

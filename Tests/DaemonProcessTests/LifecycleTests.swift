import AttributionClient
import AttributionProtocol
import Foundation
import Testing

extension DaemonProcesses {
    /// Start-up and graceful stop as a service manager sees them, through a real datagram socket
    /// in `NOTIFY_SOCKET`.
    @Suite struct Lifecycle {
        @Test(.timeLimit(.minutes(3)))
        func readyOnceServingThenStoppingOnSIGTERM() throws {
            let fixture = try DaemonFixture()
            let notify = try NotifySocket()
            let daemon = try fixture.start(environment: ["NOTIFY_SOCKET": notify.path])

            let untilReady = try #require(notify.receive(until: "READY=1", timeout: 120), "no READY=1 arrived; log:\n\(daemon.log)")
            // The moment READY=1 arrives, the socket already takes connections and answers.
            let status = try fixture.client(seconds: 10).status()
            #expect(status.runDirectory == fixture.run.folder.path)
            #expect(status.storeDirectory == fixture.run.storeFolder.path)
            #expect(!status.version.isEmpty)
            #expect(untilReady.filter { $0 == "READY=1" }.count == 1)
            #expect(untilReady.contains { $0.hasPrefix("STATUS=") && $0.count > "STATUS=".count }, "no STATUS= with READY=1: \(untilReady)")

            let socketMode = try FileManager.default.attributesOfItem(atPath: fixture.settings.socketPath)[.posixPermissions] as? Int
            #expect(socketMode == 0o660)

            let stopAsked = Date()
            kill(daemon.pid, SIGTERM)
            let untilStopping = notify.receive(until: "STOPPING=1", timeout: 30)
            #expect(untilStopping != nil, "no STOPPING=1 after SIGTERM; log:\n\(daemon.log)")
            let (exitStatus, bySignal) = try daemon.exitStatus(within: 30)
            #expect(exitStatus == 0 && !bySignal, "exit status \(exitStatus) (by signal: \(bySignal)); log:\n\(daemon.log)")
            #expect(Date().timeIntervalSince(stopAsked) < 10, "a graceful stop of an idle daemon took over 10 s")
            #expect(!FileManager.default.fileExists(atPath: fixture.settings.socketPath), "the socket file outlived the daemon")
        }

        @Test(.timeLimit(.minutes(3)))
        func withAWatchdogItPingsWithinEveryInterval() throws {
            let fixture = try DaemonFixture()
            let notify = try NotifySocket()
            // WatchdogSec=1s, as systemd passes it (without WATCHDOG_PID, which systemd sets to
            // the main pid and which sd_watchdog_enabled then checks).
            let daemon = try fixture.start(environment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "1000000"])
            #expect(notify.receive(until: "READY=1", timeout: 120) != nil, "no READY=1; log:\n\(daemon.log)")
            var pings: [Date] = []
            let deadline = Date().addingTimeInterval(3)
            while let datagram = notify.receive(timeout: max(0, deadline.timeIntervalSinceNow)) {
                if datagram.contains("WATCHDOG=1") { pings.append(Date()) }
            }
            // Pinging at half the interval gives about six pings in 3 s; systemd needs one per second.
            #expect(pings.count >= 4, "\(pings.count) WATCHDOG=1 pings in 3 s with a 1 s watchdog")
            let gaps = zip(pings, pings.dropFirst()).map { $1.timeIntervalSince($0) }
            #expect(gaps.allSatisfy { $0 < 1 }, "gaps between pings: \(gaps)")
            #expect(try daemon.terminate() == 0)
        }

        @Test(.timeLimit(.minutes(3)))
        func aGracefulStopAnswersTheQueryInFlightFirst() throws {
            let fixture = try DaemonFixture()
            let ids = try fixture.run.addShard(0)
            try fixture.run.addCheckpoint(step: 1)
            try fixture.startServing()
            try fixture.waitForIndexed(step: 1, examples: ids.count)
            let daemon = try fixture.running()

            let samples = SampleTensor(values: TinyRun.inlineSamples(count: 16), shape: [16] + TinyRun.imageShape)
            let request = try ProtocolCoding.encodeLine(JSONRPCRequest(id: .number(1), method: .attribute,
                                                                       params: AttributeParams(samples: samples, topK: 2)))
            let connection = try fixture.rawSocket()
            try connection.send(request + [UInt8(ascii: "\n")])
            Thread.sleep(forTimeInterval: 0.1)
            kill(daemon.pid, SIGTERM)
            let response = try LineSocket.decode(try connection.readLine(timeout: 60))
            #expect(response.error == nil && response.result != nil, "the query in flight got \(String(describing: response.error))")
            let (status, _) = try daemon.exitStatus(within: 60)
            #expect(status == 0, "log:\n\(daemon.log)")
        }

        @Test(.timeLimit(.minutes(3)))
        func withoutNotifySocketItServesAndStopsOnSIGINT() throws {
            let fixture = try DaemonFixture()
            try fixture.startServing()
            let daemon = try fixture.running()
            kill(daemon.pid, SIGINT)
            let (status, bySignal) = try daemon.exitStatus(within: 30)
            #expect(status == 0 && !bySignal, "exit status \(status); log:\n\(daemon.log)")
            #expect(!FileManager.default.fileExists(atPath: fixture.settings.socketPath))
        }

        @Test(.timeLimit(.minutes(3)))
        func aStaleSocketFileIsReplacedButALiveDaemonsIsNot() throws {
            let fixture = try DaemonFixture()
            try fixture.startServing()
            let first = try fixture.running()

            // A second daemon (with a store of its own) on the same socket path must refuse to
            // start, not steal the path.
            var secondSettings = fixture.settings
            secondSettings.storeDirectory = fixture.run.root.appendingPathComponent("second-store").path
            let second = try DaemonProcess.startDaemon(secondSettings, run: fixture.run, logName: "second")
            let (status, _) = try second.exitStatus(within: 60)
            #expect(status != 0, "a second daemon started on a socket path in use")
            #expect(second.log.contains(fixture.settings.socketPath), "the refusal does not name the socket:\n\(second.log)")
            #expect(try fixture.client(seconds: 10).status().runDirectory == fixture.run.folder.path)

            // After a crash the socket file stays behind; the next start replaces it.
            first.killHard()
            #expect(FileManager.default.fileExists(atPath: fixture.settings.socketPath))
            try fixture.startServing()
        }
    }
}

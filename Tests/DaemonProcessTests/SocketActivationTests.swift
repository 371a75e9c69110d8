import AttributionClient
import AttributionProtocol
import Foundation
import Testing

extension DaemonProcesses {
    /// Socket activation: the daemon adopts the listening socket it is passed as fd 3
    /// (`LISTEN_FDS=1`, `LISTEN_PID` = its own pid) instead of binding its configured path.
    @Suite struct SocketActivation {
        /// systemd's own activator: it binds the socket, waits for the first connection, then
        /// execs the daemon in its own process with the socket as fd 3 and the LISTEN_* variables
        /// set, as PID 1 does for a `.socket` unit.
        static let activator = ["/usr/bin/systemd-socket-activate", "/bin/systemd-socket-activate", "/lib/systemd/systemd-socket-activate"]
            .first { FileManager.default.isExecutableFile(atPath: $0) }

        @Test(.enabled(if: activator != nil, "systemd-socket-activate is not installed"), .timeLimit(.minutes(3)))
        func adoptsThePassedSocket() throws {
            let fixture = try DaemonFixture()
            let activated = DaemonSettings.shortSocketPath(suffix: "activated")
            defer { unlink(activated) }
            let notify = try NotifySocket()
            let daemon = try fixture.start(launcher: [try #require(Self.activator), "--listen=\(activated)", "-E", "NOTIFY_SOCKET=\(notify.path)"])

            try waitUntil("the activator listening on \(activated)", timeout: 30) { FileManager.default.fileExists(atPath: activated) }
            // The first connection starts the daemon, which answers it on the adopted socket.
            let client = try AttributionClient.connect(activated)
            let status = try client.status()
            #expect(status.runDirectory == fixture.run.folder.path)
            #expect(status.connections >= 1)
            #expect(notify.receive(until: "READY=1", timeout: 30) != nil, "no READY=1 under socket activation; log:\n\(daemon.log)")
            #expect(try AttributionClient.connect(activated, seconds: 10).checkpoints().isEmpty)
            #expect(!FileManager.default.fileExists(atPath: fixture.settings.socketPath),
                    "the daemon bound its configured path although a socket was passed")

            client.close()
            #expect(try daemon.terminate() == 0, "log:\n\(daemon.log)")
        }
    }
}

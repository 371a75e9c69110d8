import AttributionClient
import AttributionProtocol
import Foundation

/// A tiny run, the configuration for a daemon watching it, and the daemon once started. When a
/// test lets go of it, the daemon is killed and the temporary folder and socket file deleted,
/// whether the test passed or threw.
final class DaemonFixture {
    let run: TinyRun
    var settings: DaemonSettings
    /// The daemon started last.
    private(set) var daemon: DaemonProcess?

    /// An empty run and settings for it, adjusted by `configure`.
    init(configure: (inout DaemonSettings) -> Void = { _ in }) throws {
        run = try TinyRun.make()
        settings = DaemonSettings(run: run)
        configure(&settings)
    }

    deinit {
        daemon = nil
        // A killed daemon leaves its socket file behind.
        unlink(settings.socketPath)
        run.remove()
    }

    /// Starts a daemon with the current settings (replacing, and killing, any earlier one).
    @discardableResult
    func start(environment: [String: String] = [:], launcher: [String] = []) throws -> DaemonProcess {
        daemon = nil
        let started = try DaemonProcess.startDaemon(settings, run: run, environment: environment, launcher: launcher)
        daemon = started
        return started
    }

    /// Starts a daemon and waits until it answers `status`.
    @discardableResult
    func startServing() throws -> StatusResult {
        try start().waitUntilServing(socketPath: settings.socketPath)
    }

    /// The running daemon (a test that calls this before `start` has a bug).
    func running() throws -> DaemonProcess {
        guard let daemon else { throw TestFailure("no daemon was started") }
        return daemon
    }

    /// A new client connection.
    func client(seconds: Int64 = 120) throws -> AttributionClient {
        try AttributionClient.connect(settings.socketPath, seconds: seconds)
    }

    /// A new raw connection.
    func rawSocket() throws -> LineSocket {
        try LineSocket(path: settings.socketPath)
    }

    /// Waits until checkpoint `step` is indexed with `examples` examples and returns every
    /// checkpoint; fails at once (with the daemon's log) if the daemon exits, or if the
    /// checkpoint is marked failed, unless `afterFailure` (a repaired checkpoint is failed until
    /// the daemon looks at it again).
    @discardableResult
    func waitForIndexed(step: Int, examples: Int, afterFailure: Bool = false, timeout: Double = 240) throws -> [CheckpointInfo] {
        try eventually("checkpoint \(step) indexed with \(examples) examples", timeout: timeout, interval: 0.1) {
            let daemon = try running()
            guard daemon.process.isRunning else { throw StopWaiting(reason: "the daemon exited; log:\n\(daemon.log)") }
            let checkpoints = try client(seconds: 10).checkpoints()
            guard let checkpoint = checkpoints.first(where: { $0.step == step }) else { return nil }
            if checkpoint.status == "failed", !afterFailure {
                throw StopWaiting(reason: "checkpoint \(step) failed: \(checkpoint.failure ?? "no reason"); log:\n\(daemon.log)")
            }
            return checkpoint.status == "indexed" && checkpoint.examples == examples ? checkpoints : nil
        }
    }
}

import AttributionClient
import AttributionProtocol
import Foundation

/// An `attributiond run` child process started by a benchmark, with its configuration file.
final class DaemonUnderTest {
    let socket: String
    private let process = Process()

    /// Writes a configuration into `folder` and starts the daemon on it; returns once it answers `status`.
    init(executable: URL, folder: URL, run: URL, draws: Int, projection: Int) throws {
        socket = folder.appendingPathComponent("d.sock").path
        let config = folder.appendingPathComponent("attributiond.toml")
        try """
            [run]
            directory = "\(run.path)"
            [store]
            directory = "\(folder.appendingPathComponent("store").path)"
            draws = \(draws)
            projection = \(projection)
            [ingest]
            retain_checkpoints = 0
            rescan_seconds = 5
            [socket]
            path = "\(socket)"
            request_timeout_seconds = 3600
            [query]
            max_queued = 1024
            """.write(to: config, atomically: true, encoding: .utf8)
        process.executableURL = executable
        process.arguments = ["run", "--config", config.path]
        process.standardError = try FileHandle(forWritingTo: Self.log(in: folder))
        try process.run()
        try waitUntil(timeout: .seconds(120)) { (try? self.status()) != nil }
    }

    private static func log(in folder: URL) throws -> URL {
        let url = folder.appendingPathComponent("daemon.log")
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        return url
    }

    /// The daemon's `status`.
    func status() throws -> StatusResult {
        let client = try AttributionClient(socketPath: socket, timeout: .seconds(60))
        defer { client.close() }
        return try client.call(.status, as: StatusResult.self)
    }

    /// Examples indexed at `step`, from `checkpoints`, once the checkpoint is queryable (0 before).
    func examplesIndexed(step: Int) throws -> Int {
        let client = try AttributionClient(socketPath: socket, timeout: .seconds(60))
        defer { client.close() }
        return try client.call(.checkpoints, as: CheckpointsResult.self).checkpoints
            .first { $0.step == step && $0.status == "indexed" }?.examples ?? 0
    }

    /// Polls `condition` every 200 ms until it holds.
    func waitUntil(timeout: Duration, _ condition: () throws -> Bool) throws {
        let deadline = ContinuousClock.now + timeout
        while try !condition() {
            guard process.isRunning else { throw DaemonBenchmarkError.daemonExited(process.terminationStatus) }
            guard ContinuousClock.now < deadline else { throw DaemonBenchmarkError.timedOut }
            Thread.sleep(forTimeInterval: 0.2)
        }
    }

    /// Stops the daemon with SIGTERM and waits for it.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    deinit { stop() }
}

/// Why a daemon benchmark could not finish.
enum DaemonBenchmarkError: Error, CustomStringConvertible {
    case daemonExited(Int32)
    case timedOut
    case queryFailed(String)

    var description: String {
        switch self {
        case .daemonExited(let status): "the daemon exited with status \(status) (see daemon.log in the work folder)"
        case .timedOut: "the daemon did not get there in time"
        case .queryFailed(let reason): "a query failed: \(reason)"
        }
    }
}

import AttributionClient
import AttributionProtocol
import Foundation

/// A built executable (`attributiond`, `attributionctl`, or a launcher in front of the daemon)
/// running as a child of the test, with its standard output and error captured in a log file.
///
/// The child never outlives its owner: `deinit` kills a child still running, so a failing test
/// leaves no daemon behind.
final class DaemonProcess {
    let process: Process
    /// Standard output and standard error, interleaved.
    let logURL: URL

    /// The built executable `name`, next to the test bundle (every product of the package is
    /// built by `swift build --build-tests`).
    static func executable(_ name: String) throws -> URL {
        let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [folder, folder.deletingLastPathComponent()].map { $0.appendingPathComponent(name) }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw TestFailure("\(name) is not built next to the tests (build with --build-tests)")
        }
        return found
    }

    /// The environment a child gets: the test's, without anything that would make it believe a
    /// service manager started it, plus `extra`.
    static func environment(adding extra: [String: String]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for name in ["NOTIFY_SOCKET", "LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES", "JOURNAL_STREAM", "STATE_DIRECTORY",
                     "WATCHDOG_USEC", "WATCHDOG_PID"] {
            environment[name] = nil
        }
        return environment.merging(extra) { $1 }
    }

    /// Standard output alone, when it was asked to be kept apart from the log.
    let outputURL: URL?

    /// Starts `executable` with `arguments`, logging into `logURL`; standard output goes to
    /// `outputURL` instead when one is given.
    init(executable: URL, arguments: [String], environment extra: [String: String] = [:], logURL: URL, outputURL: URL? = nil) throws {
        let log = try Self.createFile(logURL)
        let output = try outputURL.map(Self.createFile)
        process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = Self.environment(adding: extra)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output ?? log
        process.standardError = log
        self.logURL = logURL
        self.outputURL = outputURL
        try process.run()
        try? log.close()
        try? output?.close()
    }

    /// Runs `executable` to completion (at most `timeout` seconds) and returns its exit status,
    /// standard output and standard error.
    static func runToExit(
        _ executable: URL, _ arguments: [String], in folder: URL, environment: [String: String] = [:], timeout: Double = 120
    ) throws -> (status: Int32, output: String, errors: String) {
        let name = "\(executable.lastPathComponent)-\(UUID().uuidString.prefix(8))"
        let child = try DaemonProcess(executable: executable, arguments: arguments, environment: environment,
                                      logURL: folder.appendingPathComponent("\(name).err"),
                                      outputURL: folder.appendingPathComponent("\(name).out"))
        let (status, _) = try child.exitStatus(within: timeout)
        return (status, child.output, child.log)
    }

    private static func createFile(_ url: URL) throws -> FileHandle {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else { throw TestFailure("cannot create \(url.path)") }
        return try FileHandle(forWritingTo: url)
    }

    /// Starts `attributiond run` with `settings` written into the run's folder; `launcher` (a
    /// program and its arguments) runs in front of it when given.
    static func startDaemon(
        _ settings: DaemonSettings, run: TinyRun, environment: [String: String] = [:], launcher: [String] = [],
        logName: String = "daemon"
    ) throws -> DaemonProcess {
        let config = try settings.write(into: run.root, name: "\(logName).toml")
        let daemon = try executable("attributiond").path
        let command = launcher + [daemon, "run", "--config", config.path]
        let logURL = run.root.appendingPathComponent("\(logName)-\(UUID().uuidString.prefix(6)).log")
        return try DaemonProcess(executable: URL(fileURLWithPath: command[0]), arguments: Array(command.dropFirst()),
                                 environment: environment, logURL: logURL)
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            _ = waitForExit(timeout: 10)
        }
    }

    /// The child's process id.
    var pid: Int32 { process.processIdentifier }

    /// What the child has written to its log so far.
    var log: String {
        (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
    }

    /// What the child has written to its standard output, when kept apart.
    var output: String {
        outputURL.flatMap { try? String(contentsOf: $0, encoding: .utf8) } ?? ""
    }

    /// Waits up to `timeout` seconds for the child to exit; true when it has.
    func waitForExit(timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            guard Date() < deadline else { return false }
            Thread.sleep(forTimeInterval: 0.02)
        }
        // `isRunning` turns false when the child is reaped; the status is read once the
        // termination handler has run.
        process.waitUntilExit()
        return true
    }

    /// Exit status (or the signal that ended it) after the child exited within `timeout`
    /// seconds; throws (with the log) if it did not.
    func exitStatus(within timeout: Double) throws -> (status: Int32, bySignal: Bool) {
        guard waitForExit(timeout: timeout) else { throw TestFailure("still running after \(timeout) s; log:\n\(log)") }
        return (process.terminationStatus, process.terminationReason == .uncaughtSignal)
    }

    /// Waits until the daemon answers `status` on `socketPath`; throws with the log if it exits
    /// first or does not answer in time.
    @discardableResult
    func waitUntilServing(socketPath: String, timeout: Double = 120) throws -> StatusResult {
        try eventually("the daemon serving on \(socketPath)", timeout: timeout, interval: 0.1) {
            guard process.isRunning else {
                throw StopWaiting(reason: "the daemon exited with status \(process.terminationStatus) before serving; log:\n\(log)")
            }
            return try AttributionClient.connect(socketPath, seconds: 10).status()
        }
    }

    /// Sends SIGTERM and returns the exit status once the child has exited (SIGKILL and a
    /// thrown failure if it has not within `timeout` seconds).
    func terminate(timeout: Double = 30) throws -> Int32 {
        kill(pid, SIGTERM)
        guard waitForExit(timeout: timeout) else {
            kill(pid, SIGKILL)
            _ = waitForExit(timeout: 10)
            throw TestFailure("no exit within \(timeout) s of SIGTERM; log:\n\(log)")
        }
        return process.terminationStatus
    }

    /// Kills the child with SIGKILL (as a crash or the OOM killer would) and waits for it.
    func killHard() {
        kill(pid, SIGKILL)
        _ = waitForExit(timeout: 30)
    }
}

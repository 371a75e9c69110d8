import Foundation
import Testing

@testable import Systemd

#if canImport(Glibc)
import Glibc
#endif

/// Runs this test bundle again as a child process that receives descriptors the way a socket unit
/// passes them: at fd 3, 4, … with `LISTEN_FDS` and `LISTEN_PID` = the child's own process id.
///
/// Descriptors cannot be moved onto fd 3 inside the test process: the process already uses that
/// number (the dispatch runtime's epoll descriptor, for one), and replacing it even briefly would
/// break other threads. A shell sets `LISTEN_PID=$$` and `exec`s the bundle, so the id is the
/// child's, as systemd arranges it. The child runs only ``ActivatedChildProbe``, which writes
/// what ``SocketActivation/takeListeningUnixSocket()`` saw to a report file.
struct ActivatedProcess {
    /// The child's exit status (`nil` when it did not exit normally), its report lines, and its
    /// console output for diagnosis.
    struct Outcome {
        var exitStatus: Int32?
        var report: [String]
        var output: String
    }

    /// Spawns the child with `descriptors` at fd 3… and `LISTEN_FDS=listenFDs`, runs `whileRunning`
    /// (for example, to connect to a passed socket), then waits up to a minute for the child.
    static func run(
        passing descriptors: [CInt], listenFDs: String, whileRunning: () throws -> Void = {}
    ) throws -> Outcome {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("activated-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let reportPath = folder.appendingPathComponent("report").path
        let outputPath = folder.appendingPathComponent("output").path

        let bundle = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let arguments = [
            "sh", "-c", #"export LISTEN_PID=$$; exec "$0" "$@""#,
            bundle, "--testing-library", "swift-testing", "--filter", "ActivatedChildProbe",
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["LISTEN_FDS"] = listenFDs
        environment["LISTEN_PID"] = nil
        environment["LISTEN_FDNAMES"] = nil
        environment[ActivatedChildProbe.reportVariable] = reportPath

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (offset, descriptor) in descriptors.enumerated() {
            posix_spawn_file_actions_adddup2(&actions, descriptor, 3 + CInt(offset))
        }
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO)

        let pid = try withCStrings(arguments) { argv in
            try withCStrings(environment.map { "\($0.key)=\($0.value)" }) { envp in
                var pid = pid_t()
                let result = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, envp)
                guard result == 0 else { throw SystemCallFailure(call: "posix_spawn", code: result) }
                return pid
            }
        }
        var exitStatus: Int32?
        do {
            try whileRunning()
            exitStatus = waitForExit(pid)
        } catch {
            _ = waitForExit(pid)
            throw error
        }
        let report = (try? String(contentsOfFile: reportPath, encoding: .utf8)) ?? ""
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        return Outcome(exitStatus: exitStatus, report: report.split(separator: "\n").map(String.init), output: output)
    }

    /// The exit code of `pid`, or `nil` when it was killed by a signal; a child still running
    /// after a minute is killed.
    private static func waitForExit(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        for _ in 0..<6000 {
            if waitpid(pid, &status, WNOHANG) == pid { return exitCode(status) }
            usleep(10_000)
        }
        kill(pid, SIGKILL)
        waitpid(pid, &status, 0)
        return nil
    }

    /// `WEXITSTATUS` when `WIFEXITED` (the macros are not imported into Swift).
    private static func exitCode(_ status: Int32) -> Int32? {
        status & 0x7f == 0 ? (status >> 8) & 0xff : nil
    }

    /// A NULL-terminated array of C strings for `strings`, valid while `body` runs.
    private static func withCStrings<T>(
        _ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) throws -> T
    ) throws -> T {
        let pointers = strings.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        return try body(pointers)
    }
}

/// The child side of ``ActivatedProcess``: enabled only in a child started by it.
@Suite struct ActivatedChildProbe {
    /// The environment variable naming the report file; set only for the child.
    static let reportVariable = "SYSTEMD_TESTS_ACTIVATION_REPORT"

    /// Takes the passed socket twice and reports what came back, whether the descriptor is
    /// close-on-exec and which `LISTEN_*` variables are left; on a socket, echoes one line.
    @Test(.enabled(if: environmentValue(reportVariable) != nil))
    func reportWhatWasPassed() throws {
        let reportPath = try #require(environmentValue(Self.reportVariable))
        var report: [String] = []
        do {
            if let descriptor = try SocketActivation.takeListeningUnixSocket() {
                report.append("result=fd \(descriptor)")
                report.append("cloexec=\(fcntl(descriptor, F_GETFD) & FD_CLOEXEC != 0)")
                report.append("second=\(String(describing: try SocketActivation.takeListeningUnixSocket()))")
                report.append("echoed=\(echoOneLine(on: descriptor))")
            } else {
                report.append("result=nil")
            }
        } catch {
            report.append("result=error \(error)")
        }
        let left = ["LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES"].filter { environmentValue($0) != nil }
        report.append("left=\(left.joined(separator: ","))")
        try report.joined(separator: "\n").write(toFile: reportPath, atomically: true, encoding: .utf8)
    }

    /// Accepts one connection on `listener` and writes back what it reads; the bytes echoed.
    private func echoOneLine(on listener: CInt) -> Int {
        let connection = accept(listener, nil, nil)
        guard connection >= 0 else { return -1 }
        defer { close(connection) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(connection, &buffer, buffer.count)
        guard count > 0 else { return -1 }
        return write(connection, buffer, count)
    }
}

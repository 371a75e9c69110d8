import ArgumentParser
import AttributionClient
import AttributionProtocol
import Foundation

/// `attributionctl wait`: blocks until the daemon serves, or until a checkpoint is indexed —
/// for scripts that start the daemon and then query it.
struct WaitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wait",
        abstract: "Wait until the daemon answers (--ready) or a checkpoint is indexed (--indexed), then exit.",
        discussion: """
            --indexed any waits for the first indexed checkpoint and prints the newest indexed step; \
            --indexed STEP waits for that step and prints it, and fails at once if it failed or was retired. \
            Exits 1 when --for seconds pass first.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Wait until the daemon answers `status`.")
    var ready = false

    @Option(help: "`any`, or the step of the checkpoint to wait for.")
    var indexed: String?

    @Option(name: .customLong("for"), help: "Seconds to wait in all.")
    var waitSeconds: Double = 600

    func validate() throws {
        guard ready != (indexed != nil) else { throw ValidationError("give exactly one of --ready and --indexed") }
        if let indexed, indexed != "any", Int(indexed) == nil { throw ValidationError("--indexed takes `any` or a step number") }
        guard waitSeconds > 0 else { throw ValidationError("--for must be positive") }
    }

    func run() throws {
        let deadline = ContinuousClock.now + .milliseconds(Int64(waitSeconds * 1000))
        while true {
            switch try poll() {
            case .done(let output):
                if let output { print(output) }
                return
            case .notYet(let lastError):
                guard ContinuousClock.now < deadline else {
                    throw WaitError.timedOut(seconds: waitSeconds, last: lastError)
                }
                Thread.sleep(forTimeInterval: 0.5)
            }
        }
    }

    private enum Progress {
        case done(String?)
        case notYet(String?)
    }

    /// One look at the daemon. Not reachable yet counts as "not yet"; a server error does not.
    private func poll() throws -> Progress {
        let client: AttributionClient
        do { client = try global.connect() } catch { return .notYet("\(error)") }
        defer { client.close() }
        if ready {
            do { _ = try client.call(.status, as: StatusResult.self) } catch {
                if case .server = error { throw error }
                return .notYet("\(error)")
            }
            return .done(nil)
        }
        let checkpoints = try client.call(.checkpoints, as: CheckpointsResult.self).checkpoints
        if indexed == "any" {
            return checkpoints.last { $0.status == "indexed" }.map { .done("\($0.step)") } ?? .notYet(nil)
        }
        guard let step = indexed.flatMap(Int.init), let checkpoint = checkpoints.first(where: { $0.step == step }) else {
            return .notYet(nil)
        }
        switch checkpoint.status {
        case "indexed": return .done("\(step)")
        case "failed", "retired": throw WaitError.checkpointUnavailable(step: step, status: checkpoint.status, reason: checkpoint.failure)
        default: return .notYet(nil)
        }
    }
}

/// Why `wait` gave up.
enum WaitError: Error, CustomStringConvertible {
    case timedOut(seconds: Double, last: String?)
    case checkpointUnavailable(step: Int, status: String, reason: String?)

    var description: String {
        switch self {
        case .timedOut(let seconds, let last):
            "gave up after \(seconds) s" + (last.map { " (last: \($0))" } ?? "")
        case .checkpointUnavailable(let step, let status, let reason):
            "checkpoint \(step) is \(status)" + (reason.map { ": \($0)" } ?? "")
        }
    }
}

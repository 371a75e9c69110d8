import AttributionClient
import AttributionProtocol
import Foundation

/// Follows a Shapley refresh job through `status` until it is over, reporting progress.
///
/// Each poll opens a fresh connection, so a wait of hours survives idle-connection limits and
/// daemon restarts (the job queue is persistent): while the daemon cannot be reached, the wait
/// goes on and says so.
struct ShapleyRefreshWait {
    /// The job followed.
    let job: Int
    /// Time between polls.
    let pollInterval: Duration
    /// The longest wait, or nil to wait as long as the job takes.
    let limit: Duration?
    /// Opens a connection to the daemon.
    let connect: () throws(ClientError) -> AttributionClient

    /// Waits until the job is over, passing `report` a line whenever the progress shown changes
    /// and once when the job has finished.
    ///
    /// - Throws: `jobFailed` when the daemon's last error names the job, `timedOut` when
    ///   `limit` passes first, `status`/`noShapleyStatus` when the daemon's answer is unusable.
    func run(report: (String) -> Void) throws(ShapleyWaitError) {
        let start = ContinuousClock.now
        var shown: String?
        while true {
            let line: String
            if let status = try poll() {
                switch ShapleyJobState(job: job, status: status) {
                case .running(let progress):
                    line = ShapleyReport.progress(job: job, running: progress)
                case .waiting(let running, let queued):
                    line = ShapleyReport.progress(job: job, waitingBehind: running, queued: queued)
                case .finished:
                    report("job \(job) finished")
                    return
                case .failed(let reason):
                    throw .jobFailed(job: job, reason: reason)
                }
            } else {
                line = "job \(job): the daemon cannot be reached; still waiting"
            }
            if line != shown {
                report(line)
                shown = line
            }
            let waited = ContinuousClock.now - start
            if let limit, waited >= limit {
                throw .timedOut(job: job, seconds: waited / .seconds(1), lastProgress: shown)
            }
            let pause = limit.map { min(pollInterval, $0 - waited) } ?? pollInterval
            Thread.sleep(forTimeInterval: pause / .seconds(1))
        }
    }

    /// The daemon's Shapley status, or nil when it cannot be reached or answer in time.
    private func poll() throws(ShapleyWaitError) -> ShapleyStatus? {
        let client: AttributionClient
        do { client = try connect() } catch { return nil }
        defer { client.close() }
        let result: StatusResult
        do { result = try client.call(.status, as: StatusResult.self) } catch {
            switch error {
            case .cannotConnect, .connectionClosed, .notConnected, .timedOut, .transport: return nil
            default: throw .status(error)
            }
        }
        guard let status = result.shapley else { throw .noShapleyStatus }
        return status
    }
}

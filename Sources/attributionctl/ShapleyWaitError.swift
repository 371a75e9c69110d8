import AttributionClient

/// Why `shapley refresh --wait` did not end with the job's values.
enum ShapleyWaitError: Error, CustomStringConvertible {
    /// The daemon reported the job's failure.
    case jobFailed(job: Int, reason: String)
    /// `--timeout-wait` passed first; the job goes on in the daemon.
    case timedOut(job: Int, seconds: Double, lastProgress: String?)
    /// The daemon's `status` has no `shapley` part: it does not run Shapley refreshes.
    case noShapleyStatus
    /// The daemon answered `status` with an error, or an answer that does not parse.
    case status(ClientError)

    var description: String {
        switch self {
        case .jobFailed(_, let reason):
            // The daemon's reason names the job already ("job 7: …").
            "the Shapley refresh failed: \(reason)"
        case .timedOut(let job, let seconds, let lastProgress):
            "gave up waiting for Shapley refresh job \(job) after \(Formatting.duration(seconds)); it goes on in the daemon"
                + (lastProgress.map { " (last: \($0))" } ?? "")
        case .noShapleyStatus:
            "the daemon's status has no Shapley part: it does not run Shapley refreshes"
        case .status(let error):
            "asking the daemon for its status failed: \(error)"
        }
    }
}

import AttributionProtocol

/// Where a Shapley refresh job stands, read from `status`.
///
/// `status` shows the running job and how many wait, not which, so the state is inferred from
/// the queue's order: jobs run first in, first out with increasing numbers. A running job with a
/// smaller number means this one still waits; one with a larger number means it is over. While
/// nothing runs but jobs are queued, this one may be among them (the valuation thread is about
/// to take the next), so it counts as waiting until one of them starts.
enum ShapleyJobState: Equatable {
    /// Not started: `running` is another job ahead of it, if any.
    case waiting(running: ShapleyStatus.Progress?, queued: Int)
    /// Running now.
    case running(ShapleyStatus.Progress)
    /// Over, without an error naming it.
    case finished
    /// Over: `status.shapley.last_error` names it.
    case failed(String)

    /// The state of job `job` in `status`.
    init(job: Int, status: ShapleyStatus) {
        if let running = status.running {
            if running.job == job {
                self = .running(running)
                return
            }
            if running.job < job {
                self = .waiting(running: running, queued: status.queued)
                return
            }
        } else if status.queued > 0 {
            self = .waiting(running: nil, queued: status.queued)
            return
        }
        if let error = status.lastError, Self.names(job: job, error) {
            self = .failed(error)
        } else {
            self = .finished
        }
    }

    /// Whether `error` is about job `job`: the daemon names the failed job in its error
    /// ("job 12: …"); "job 12" must stand as words, so job 12 is not job 123.
    static func names(job: Int, _ error: String) -> Bool {
        let mention = "job \(job)"
        var rest = Substring(error)
        while let range = rest.firstRange(of: mention) {
            let before = range.lowerBound == error.startIndex ? nil : error[error.index(before: range.lowerBound)]
            let after = range.upperBound == error.endIndex ? nil : error[range.upperBound]
            if !(before?.isLetter ?? false), !(after?.isNumber ?? false) { return true }
            rest = error[range.upperBound...]
        }
        return false
    }
}

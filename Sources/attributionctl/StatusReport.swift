import AttributionProtocol
import Foundation

/// The `status` result as a summary a person reads at a glance.
enum StatusReport {
    /// How many of the most recent errors are listed.
    static let errorsShown = 10

    /// The summary; `now` dates the running job's elapsed time.
    static func render(_ status: StatusResult, now: Date = Date()) -> String {
        let checkpoints = status.checkpoints, examples = status.examples, backlog = status.backlog
        var facts = TextTable([.init(""), .init("")])
        facts.append(["daemon", "attributiond \(status.version), up \(Formatting.duration(status.uptimeSeconds)) (since \(Formatting.date(status.startedAt)))"])
        facts.append(["run", status.runDirectory])
        facts.append(["store", status.storeDirectory])
        facts.append(["checkpoints", "\(checkpoints.known) known: \(checkpoints.indexed) indexed, \(checkpoints.indexing) indexing, "
                      + "\(checkpoints.failed) failed, \(checkpoints.retired) retired"])
        facts.append(["latest", checkpoints.latestIndexed.map { "step \($0) (queries use it by default)" } ?? "nothing indexed yet"])
        facts.append(["examples", "\(examples.training) training, \(examples.heldOut) held out; shards \(examples.shardsAccepted) accepted, "
                      + "\(examples.shardsRejected) rejected"])
        facts.append(["backlog", "\(backlog.pendingJobs) pending, \(backlog.failedJobs) failed, \(backlog.completedJobs) done since start"])
        facts.append(["running", backlog.running.map { running($0, now: now) } ?? "idle"])
        facts.append(["probes", "\(status.probes)"])
        facts.append(["connections", "\(status.connections)"])
        var text = facts.render(header: false)

        if !status.errors.isEmpty {
            let recent = status.errors.suffix(errorsShown)
            var errors = TextTable([.init("TIME"), .init("SOURCE"), .init("MESSAGE")])
            for entry in recent { errors.append([Formatting.date(entry.time), entry.source, entry.message]) }
            let heading = recent.count == status.errors.count ? "errors (\(recent.count))" : "errors (last \(recent.count) of \(status.errors.count))"
            text += "\n\n\(heading)\n\(errors.render())"
        }
        return text
    }

    /// "index_shard at step 400, shard-00003.safetensors, for 12.0s".
    static func running(_ job: StatusResult.RunningJob, now: Date) -> String {
        let shard = job.shard.map { ", \($0)" } ?? ""
        return "\(job.kind) at step \(job.step)\(shard), for \(Formatting.duration(now.timeIntervalSince(job.startedAt)))"
    }
}

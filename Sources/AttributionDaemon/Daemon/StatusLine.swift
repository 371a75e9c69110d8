import AttributionProtocol
import AttributionStore

/// The one-line progress summary sent to systemd as STATUS= (shown by `systemctl status`).
enum StatusLine {
    /// Describes what is indexed, what ingest is doing and the Shapley refresh running.
    static func describe(ingest: IngestStatus, shapley: ShapleyStatus.Progress?, store: AttributionStore) throws -> String {
        let summary = try store.read { try store.summary(in: $0) }
        return describe(ingest: ingest, shapley: shapley, summary: summary)
    }

    /// The line for `ingest`, `shapley` and `summary`.
    static func describe(ingest: IngestStatus, shapley: ShapleyStatus.Progress?, summary: StoreSummary) -> String {
        var parts = ["\(summary.indexedCheckpoints)/\(summary.checkpoints) checkpoints indexed",
                     "\(summary.examples) examples in \(summary.acceptedShards) shards"]
        if let running = ingest.running {
            let shard = running.shard.map { " \($0)" } ?? ""
            parts.append("indexing checkpoint \(running.step)\(shard), \(ingest.pendingJobs) jobs queued")
        } else if ingest.pendingJobs > 0 {
            parts.append("\(ingest.pendingJobs) jobs queued")
        } else {
            parts.append("idle")
        }
        if ingest.failedJobs > 0 { parts.append("\(ingest.failedJobs) failed jobs") }
        if let shapley {
            parts.append("Shapley \(shapley.estimator.rawValue) at checkpoint \(shapley.step): \(shapley.phase), "
                         + "\(shapley.coalitionsEvaluated) coalitions evaluated")
        }
        return parts.joined(separator: "; ")
    }
}

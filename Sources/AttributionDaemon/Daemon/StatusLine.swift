import AttributionStore

/// The one-line progress summary sent to systemd as STATUS= (shown by `systemctl status`).
enum StatusLine {
    /// Describes what is indexed and what ingest is doing.
    static func describe(ingest: IngestStatus, store: AttributionStore) throws -> String {
        let summary = try store.read { try store.summary(in: $0) }
        return describe(ingest: ingest, summary: summary)
    }

    /// The line for `ingest` and `summary`.
    static func describe(ingest: IngestStatus, summary: StoreSummary) -> String {
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
        return parts.joined(separator: "; ")
    }
}

import LMDB

/// Counts over the whole store.
public struct StoreSummary: Sendable, Hashable {
    /// Checkpoints known.
    public var checkpoints: Int
    /// Checkpoints whose status is indexed.
    public var indexedCheckpoints: Int
    /// Shards known (accepted or rejected).
    public var shards: Int
    /// Shards accepted.
    public var acceptedShards: Int
    /// Examples registered.
    public var examples: Int
    /// Contributors registered.
    public var contributors: Int
    /// Jobs pending or running.
    public var openJobs: Int
    /// Jobs that failed.
    public var failedJobs: Int

    /// A summary.
    public init(
        checkpoints: Int, indexedCheckpoints: Int, shards: Int, acceptedShards: Int, examples: Int, contributors: Int,
        openJobs: Int, failedJobs: Int
    ) {
        self.checkpoints = checkpoints
        self.indexedCheckpoints = indexedCheckpoints
        self.shards = shards
        self.acceptedShards = acceptedShards
        self.examples = examples
        self.contributors = contributors
        self.openJobs = openJobs
        self.failedJobs = failedJobs
    }
}

extension AttributionStore {
    /// Counts of checkpoints, shards, examples, contributors and jobs.
    public func summary<A>(in transaction: borrowing Transaction<A>) throws -> StoreSummary {
        let checkpoints = try checkpoints(in: transaction)
        let shards = try shards(in: transaction)
        let jobs = try jobs(in: transaction)
        return StoreSummary(
            checkpoints: checkpoints.count,
            indexedCheckpoints: checkpoints.count { $0.status == .indexed },
            shards: shards.count,
            acceptedShards: shards.count { $0.status == .accepted },
            examples: try transaction.count(in: databases.examples),
            contributors: try transaction.count(in: databases.contributors),
            openJobs: jobs.count { $0.state != .failed },
            failedJobs: jobs.count { $0.state == .failed }
        )
    }
}

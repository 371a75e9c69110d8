import Foundation

/// The result of `status`: what the daemon knows and is doing.
public struct StatusResult: Sendable, Equatable, Codable {
    /// Checkpoint counts by state.
    public struct Checkpoints: Sendable, Equatable, Codable {
        /// Checkpoints registered in the store (every state).
        public var known: Int
        /// Fully indexed (queryable).
        public var indexed: Int
        /// Being indexed, or waiting in the queue.
        public var indexing: Int
        /// Could not be indexed (see `errors` or `checkpoints`).
        public var failed: Int
        /// Freed by the retention policy.
        public var retired: Int
        /// The step queries use by default, if any.
        public var latestIndexed: Int?

        /// Counts with these values.
        public init(known: Int, indexed: Int, indexing: Int, failed: Int, retired: Int, latestIndexed: Int?) {
            self.known = known
            self.indexed = indexed
            self.indexing = indexing
            self.failed = failed
            self.retired = retired
            self.latestIndexed = latestIndexed
        }
    }

    /// Example and shard counts.
    public struct Examples: Sendable, Equatable, Codable {
        /// Training examples registered (attributable).
        public var training: Int
        /// Held-out examples registered.
        public var heldOut: Int
        /// Shard files accepted.
        public var shardsAccepted: Int
        /// Shard files refused (corrupt, duplicate ids, wrong shape).
        public var shardsRejected: Int

        /// Counts with these values.
        public init(training: Int, heldOut: Int, shardsAccepted: Int, shardsRejected: Int) {
            self.training = training
            self.heldOut = heldOut
            self.shardsAccepted = shardsAccepted
            self.shardsRejected = shardsRejected
        }
    }

    /// The job running now.
    public struct RunningJob: Sendable, Equatable, Codable {
        /// `index_shard` or `finish_checkpoint`.
        public var kind: String
        /// The checkpoint's step.
        public var step: Int
        /// The shard file, for shard jobs.
        public var shard: String?
        /// When it started.
        public var startedAt: Date

        /// A job with these values.
        public init(kind: String, step: Int, shard: String?, startedAt: Date) {
            self.kind = kind
            self.step = step
            self.shard = shard
            self.startedAt = startedAt
        }
    }

    /// The ingest queue.
    public struct Backlog: Sendable, Equatable, Codable {
        /// Jobs waiting.
        public var pendingJobs: Int
        /// Jobs that failed every attempt.
        public var failedJobs: Int
        /// Jobs finished since the daemon started.
        public var completedJobs: Int
        /// The job running now.
        public var running: RunningJob?

        /// A backlog with these values.
        public init(pendingJobs: Int, failedJobs: Int, completedJobs: Int, running: RunningJob?) {
            self.pendingJobs = pendingJobs
            self.failedJobs = failedJobs
            self.completedJobs = completedJobs
            self.running = running
        }
    }

    /// Something that went wrong: a refused file, a failed checkpoint or job.
    public struct ErrorEntry: Sendable, Equatable, Codable {
        /// When it was seen (nil for records kept from before the daemon started).
        public var time: Date?
        /// The file, checkpoint or job concerned.
        public var source: String
        /// What went wrong.
        public var message: String

        /// An entry with these values.
        public init(time: Date?, source: String, message: String) {
            self.time = time
            self.source = source
            self.message = message
        }
    }

    /// The daemon's version.
    public var version: String
    /// When this process started.
    public var startedAt: Date
    /// Seconds since then.
    public var uptimeSeconds: Double
    /// The training directory watched.
    public var runDirectory: String
    /// The store's folder.
    public var storeDirectory: String
    /// Checkpoint counts.
    public var checkpoints: Checkpoints
    /// Example and shard counts.
    public var examples: Examples
    /// The ingest queue.
    public var backlog: Backlog
    /// Problems seen, oldest first (refused shards and failed checkpoints from the store, then
    /// this process's recent errors).
    public var errors: [ErrorEntry]
    /// Probes registered.
    public var probes: Int
    /// Client connections open now.
    public var connections: Int
    /// Shapley refreshes: the one running, the queue, the last outcome.
    public var shapley: ShapleyStatus?

    /// A status with these values.
    public init(version: String, startedAt: Date, uptimeSeconds: Double, runDirectory: String, storeDirectory: String,
                checkpoints: Checkpoints, examples: Examples, backlog: Backlog, errors: [ErrorEntry], probes: Int, connections: Int,
                shapley: ShapleyStatus? = nil) {
        self.version = version
        self.startedAt = startedAt
        self.uptimeSeconds = uptimeSeconds
        self.runDirectory = runDirectory
        self.storeDirectory = storeDirectory
        self.checkpoints = checkpoints
        self.examples = examples
        self.backlog = backlog
        self.errors = errors
        self.probes = probes
        self.connections = connections
        self.shapley = shapley
    }
}

import Foundation

/// What the ingest service is doing, as the `status` method and systemd's STATUS= show it.
public struct IngestStatus: Sendable, Equatable {
    /// The job running now.
    public struct RunningJob: Sendable, Equatable {
        /// `index_shard` or `finish_checkpoint`.
        public var kind: String
        /// The checkpoint's step.
        public var step: Int
        /// The shard file, for shard jobs.
        public var shard: String?
        /// When it started.
        public var startedAt: Date

        /// A running job with these values.
        public init(kind: String, step: Int, shard: String?, startedAt: Date) {
            self.kind = kind
            self.step = step
            self.shard = shard
            self.startedAt = startedAt
        }
    }

    /// Something that went wrong in this process: a rejected shard, a failed checkpoint or job,
    /// a reconcile or watcher error.
    public struct ErrorEntry: Sendable, Equatable {
        /// When it happened.
        public var time: Date
        /// The file, checkpoint or job concerned.
        public var source: String
        /// What went wrong.
        public var message: String

        /// An entry with these values.
        public init(time: Date, source: String, message: String) {
            self.time = time
            self.source = source
            self.message = message
        }
    }

    /// The most errors ``recentErrors`` keeps.
    public static let errorLimit = 100

    /// Jobs waiting in the queue (not counting the running one).
    public var pendingJobs: Int
    /// Jobs kept in the queue as failed.
    public var failedJobs: Int
    /// The job running now.
    public var running: RunningJob?
    /// This process's errors, oldest first, at most ``errorLimit``.
    public var recentErrors: [ErrorEntry]
    /// The ingest thread's heartbeat: updated between jobs and while it waits for work.
    public var lastActivity: Date
    /// Jobs finished since the service started.
    public var jobsCompleted: Int
    /// Examples whose gradients were stored since the service started (once per checkpoint).
    public var examplesIndexed: Int

    /// A status with these values.
    public init(pendingJobs: Int = 0, failedJobs: Int = 0, running: RunningJob? = nil, recentErrors: [ErrorEntry] = [],
                lastActivity: Date = Date(), jobsCompleted: Int = 0, examplesIndexed: Int = 0) {
        self.pendingJobs = pendingJobs
        self.failedJobs = failedJobs
        self.running = running
        self.recentErrors = recentErrors
        self.lastActivity = lastActivity
        self.jobsCompleted = jobsCompleted
        self.examplesIndexed = examplesIndexed
    }

    /// Appends an error, dropping the oldest beyond ``errorLimit``.
    mutating func record(_ entry: ErrorEntry) {
        recentErrors.append(entry)
        if recentErrors.count > Self.errorLimit { recentErrors.removeFirst(recentErrors.count - Self.errorLimit) }
    }
}

/// How the ingest service keeps the store: what it retains, how often it retries, how often it
/// looks at the disk without being told, and how long a file written in place must rest.
public struct IngestPolicy: Sendable, Equatable {
    /// The newest indexed checkpoints kept; older ones are retired and their data freed. 0 keeps all.
    public var retainCheckpoints: Int
    /// Tries of a job that throws before it is kept in the queue as failed.
    public var jobAttempts: Int
    /// How often the run folder is reconciled with the store even without file events.
    public var rescanInterval: Duration
    /// How long a file must stay unmodified before it is read when its writer was not seen
    /// closing it or renaming it into place (see `Indexing.FileSettling`). Zero reads every file
    /// as soon as it is seen.
    public var settleInterval: Duration

    /// A policy with these values.
    public init(retainCheckpoints: Int = 3, jobAttempts: Int = 3, rescanInterval: Duration = .seconds(60),
                settleInterval: Duration = .seconds(5)) {
        self.retainCheckpoints = retainCheckpoints
        self.jobAttempts = jobAttempts
        self.rescanInterval = rescanInterval
        self.settleInterval = settleInterval
    }
}

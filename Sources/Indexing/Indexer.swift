import Attribution
import AttributionStore
import DiffusionModel
import Foundation
import LMDB

/// Indexes a training run into the store through the store's persistent job queue, one job at
/// a time: ``reconcile(steps:)`` registers what is new on disk and queues the missing jobs,
/// ``takeNextJob(steps:)`` and ``perform(_:)`` run them. A job indexes one shard at one
/// checkpoint (its gradients, curvature evidence, progress and the job's removal in ONE write
/// transaction) or finishes a checkpoint (self-influence, indexed status, retention). A crash at
/// any point leaves whole units done or not at all; after ``AttributionStore/requeueInterruptedJobs(in:)``
/// and a reconcile, exactly the missing work runs.
///
/// `attributiond index` drives it through ``index(steps:)``; the daemon's ingest thread calls the
/// same three steps as files arrive. Runs on the caller's thread; not `Sendable`.
public final class Indexer {
    /// The run being indexed.
    public let run: TrainingRun
    /// The store written to.
    public let store: AttributionStore
    /// Engine and storage settings.
    public let settings: IndexSettings
    /// How many times a job that throws is tried before it is kept as failed.
    public let jobAttempts: Int
    let events: (IndexingEvent) -> Void
    var planner: IngestPlanner
    let finishing: CheckpointFinishing
    private var loaded: LoadedCheckpoint?

    /// An indexer of `run` into `store`, reporting to `events`.
    /// - Parameters:
    ///   - retainCheckpoints: Checkpoints kept indexed (see the retention policy); 0 keeps all.
    ///   - jobAttempts: Tries of a job that throws before it is marked failed (at least 1).
    ///   - settling: When a file on disk is finished being written. The default,
    ///     ``FileSettling/immediate``, takes every file present as finished, which suits a pass
    ///     over a run nobody is writing; the daemon passes a rule fed by its file watcher.
    public init(
        run: TrainingRun, store: AttributionStore, settings: IndexSettings, retainCheckpoints: Int = 0, jobAttempts: Int = 3,
        settling: FileSettling = .immediate, events: @escaping (IndexingEvent) -> Void = { _ in }
    ) {
        self.run = run
        self.store = store
        self.settings = settings
        self.jobAttempts = max(1, jobAttempts)
        self.events = events
        let retention = Retention(keep: max(0, retainCheckpoints))
        planner = IngestPlanner(run: run, store: store, retention: retention, settling: settling)
        finishing = CheckpointFinishing(store: store, retention: retention)
    }

    /// Registers new shard files and complete checkpoint folders, applies retention, and queues
    /// the jobs that are missing; only checkpoints in `steps` are considered when given. Files
    /// still being written are skipped silently.
    ///
    /// - Returns: When the first skipped file settles (reconcile again then), nil if none was skipped.
    @discardableResult
    public func reconcile(steps: [Int]? = nil) throws -> Date? {
        try planner.reconcile(steps: steps.map(Set.init), load: { step throws(IndexingError) in _ = try checkpoint(step: step) },
                              events: events)
    }

    /// Takes the oldest pending job (of the checkpoints in `steps`, when given) and marks it running.
    public func takeNextJob(steps: [Int]? = nil) throws -> IndexingJob? {
        let wanted = steps.map { Set($0.map(UInt64.init)) }
        return try store.write { transaction in
            guard let record = try store.dequeueNextJob(in: transaction, where: { wanted?.contains($0.step) != false }) else {
                return nil
            }
            let file = try record.shard.flatMap { try store.shard(ordinal: $0, in: transaction)?.fileName }
            return IndexingJob(record: record, shardFile: file)
        }
    }

    /// Registers what is on disk, then runs every job of the checkpoints `steps` (all present
    /// ones when nil) until none is left, first putting back jobs a killed run left running.
    /// Run it only while no daemon ingests into the same store.
    ///
    /// - Returns: The steps that are not indexed at the end (each reported).
    @discardableResult
    public func index(steps: [Int]? = nil) throws -> [Int] {
        try store.write { try store.requeueInterruptedJobs(in: $0) }
        try reconcile(steps: steps)
        while let job = try takeNextJob(steps: steps) { _ = try perform(job) }
        let records = try store.read { try store.checkpoints(in: $0) }
        var notIndexed: [Int] = []
        for step in try steps ?? run.checkpointSteps() {
            guard let record = records.first(where: { $0.step == UInt64(step) }) else {
                switch run.checkpointFolderState(step: step, settling: planner.settling) {
                case .incomplete(let reason): events(.checkpointFailed(step: step, reason: "checkpoint \(step): \(reason)"))
                case .settling: events(.checkpointFailed(step: step, reason: "checkpoint \(step): still being written"))
                case .complete: break
                }
                notIndexed.append(step)
                continue
            }
            if record.status != .indexed, record.status != .retired { notIndexed.append(step) }
        }
        return notIndexed
    }

    /// The loaded checkpoint at `step`, reusing the last one.
    func checkpoint(step: Int) throws(IndexingError) -> LoadedCheckpoint {
        if let loaded, loaded.step == step { return loaded }
        loaded = nil
        let checkpoint = try LoadedCheckpoint(folder: run.checkpointFolder(step: step), step: step, gradients: settings.gradients)
        loaded = checkpoint
        return checkpoint
    }

    /// Forgets the loaded checkpoint at `step` (its folder failed or was retired).
    func forgetCheckpoint(step: Int) {
        if loaded?.step == step { loaded = nil }
    }
}

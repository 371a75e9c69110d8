import AttributionStore
import Foundation
import LMDB

/// Reconciles a training run's files with the store: registers new shard files, registers new
/// complete checkpoint folders (loading each once to check it), applies the retention policy,
/// and queues exactly the jobs that are missing (see ``MissingJobs``). Running it again with
/// nothing new on disk changes nothing.
///
/// Files that may still be being written (see ``FileSettling``) are skipped without a word: a
/// shard is read only once settled, and a checkpoint is loaded only once all its required files
/// are. A shard that does not parse is rejected, and a checkpoint that does not load is failed,
/// only once its files have been quiet for the settle interval.
struct IngestPlanner {
    let run: TrainingRun
    let store: AttributionStore
    let retention: Retention
    let settling: FileSettling
    /// Signatures of checkpoint folders that failed to load: such a folder is looked at again
    /// only once rewritten (a trainer writing in place may not have finished), so a broken
    /// checkpoint costs one load per change, not one per reconcile.
    private var failedSignatures: [Int: CheckpointFolderSignature] = [:]
    /// Signatures of checkpoint folders that failed to load before their files were quiet for the
    /// settle interval: not failed (they may still be being written), and not loaded again until
    /// rewritten or quiet.
    private var unquietFailures: [Int: CheckpointFolderSignature] = [:]

    init(run: TrainingRun, store: AttributionStore, retention: Retention, settling: FileSettling) {
        self.run = run
        self.store = store
        self.retention = retention
        self.settling = settling
    }

    /// Notes that the checkpoint at `step` failed with its folder as it is now.
    mutating func noteFailure(step: Int) {
        if case .complete(let signature) = run.checkpointFolderState(step: step, settling: settling) { failedSignatures[step] = signature }
    }

    /// Registers what is new on disk and queues the missing jobs; only checkpoints in `steps`
    /// are considered when given.
    ///
    /// - Parameters:
    ///   - load: Loads a checkpoint, throwing ``IndexingError/unreadableCheckpoint(step:reason:)``.
    ///   - events: Told of every shard and checkpoint registered, rejected, failed or retired.
    /// - Returns: When the first file skipped as still being written settles, if any was.
    mutating func reconcile(
        steps: Set<Int>?, load: (Int) throws(IndexingError) -> Void, events: (IndexingEvent) -> Void
    ) throws -> Date? {
        let shardsSettle = try registerShards(events: events)
        let checkpointsSettle = try registerCheckpoints(steps: steps, load: load, events: events)
        let (retired, queued) = try store.write { transaction in
            let retired = try retention.apply(store: store, in: transaction)
            let jobs = MissingJobs.plan(try snapshot(in: transaction), steps: steps.map { Set($0.map(UInt64.init)) })
            for job in jobs { try store.enqueueJob(job.kind, step: job.step, shard: job.shard, in: transaction) }
            return (retired, jobs.count)
        }
        for step in retired { events(.checkpointRetired(step: Int(step))) }
        if queued > 0 { events(.jobsQueued(count: queued)) }
        return [shardsSettle, checkpointsSettle].compactMap { $0 }.min()
    }

    /// Registers the settled shard files the store does not know; returns when the first
    /// unsettled one settles.
    private func registerShards(events: (IndexingEvent) -> Void) throws -> Date? {
        let registration = ShardRegistration(store: store, settling: settling)
        var firstSettle: Date?
        for (url, isHeldOut) in try run.shardFiles() {
            switch try registration.register(url, isHeldOut: isHeldOut) {
            case .accepted(let record):
                events(.shardAccepted(file: record.fileName, examples: Int(record.exampleCount), isHeldOut: isHeldOut))
            case .rejected(let record, let error):
                events(.shardRejected(file: record.fileName, reason: "\(error)"))
            case .alreadyKnown:
                break
            case .settling(let until):
                firstSettle = min(firstSettle ?? until, until)
            }
        }
        return firstSettle
    }

    /// Registers complete checkpoint folders the store does not know, and failed ones that were
    /// rewritten, newest first; one the retention policy would retire at once is recorded as
    /// retired without being loaded. Returns when the first folder still being written settles.
    private mutating func registerCheckpoints(
        steps: Set<Int>?, load: (Int) throws(IndexingError) -> Void, events: (IndexingEvent) -> Void
    ) throws -> Date? {
        let records = Dictionary(uniqueKeysWithValues: try store.read { try store.checkpoints(in: $0) }.map { (Int($0.step), $0) })
        var live = Set(records.values.filter { $0.status.isLive }.map(\.step))
        var firstSettle: Date?
        for step in try run.checkpointSteps().sorted(by: >) where steps?.contains(step) != false {
            let existing = records[step]
            if let existing, !existing.status.isFailed { continue }
            let signature: CheckpointFolderSignature
            switch run.checkpointFolderState(step: step, settling: settling) {
            case .complete(let complete): signature = complete
            case .settling(let until):
                firstSettle = min(firstSettle ?? until, until)
                continue
            case .incomplete: continue
            }
            if existing != nil, failedSignatures[step] == signature { continue }
            if retention.retiresOnArrival(step: UInt64(step), liveSteps: live) {
                if existing == nil {
                    try put(step: step, status: .retired, existing: nil)
                    events(.checkpointRetired(step: step))
                }
                continue
            }
            switch try loadAndRecord(step: step, signature: signature, existing: existing, load: load, events: events) {
            case .registered: live.insert(UInt64(step))
            case .failed: break
            case .waiting(let until): firstSettle = min(firstSettle ?? until, until)
            }
        }
        return firstSettle
    }

    /// What loading a complete checkpoint folder came to.
    private enum LoadOutcome {
        case registered, failed
        /// It failed to load before its files were quiet for the settle interval.
        case waiting(until: Date)
    }

    /// Loads the checkpoint at `step` and records it as registered, or as failed once its files
    /// are quiet. A folder that fails earlier may have been reopened after the close that settled
    /// it: it is left alone until rewritten or quiet.
    private mutating func loadAndRecord(
        step: Int, signature: CheckpointFolderSignature, existing: CheckpointRecord?, load: (Int) throws(IndexingError) -> Void,
        events: (IndexingEvent) -> Void
    ) throws -> LoadOutcome {
        let quietAt = settling.quietUntil(modified: signature.lastModified)
        if let quietAt, unquietFailures[step] == signature { return .waiting(until: quietAt) }
        unquietFailures[step] = nil
        do throws(IndexingError) {
            try load(step)
        } catch {
            if let quietAt {
                unquietFailures[step] = signature
                return .waiting(until: quietAt)
            }
            try put(step: step, status: .failed(reason: "\(error)"), existing: existing)
            failedSignatures[step] = signature
            events(.checkpointFailed(step: step, reason: "\(error)"))
            return .failed
        }
        try put(step: step, status: .registered, existing: existing)
        failedSignatures[step] = nil
        events(.checkpointRegistered(step: step))
        return .registered
    }

    private func put(step: Int, status: CheckpointRecord.Status, existing: CheckpointRecord?) throws {
        try store.write { transaction in
            try store.putCheckpoint(CheckpointRecord(
                step: UInt64(step), path: run.checkpointFolder(step: step).path, status: status,
                registeredAt: existing?.registeredAt ?? .now()), in: transaction)
        }
    }

    private func snapshot(in transaction: borrowing WriteTransaction) throws -> MissingJobs.Snapshot {
        let checkpoints = try store.checkpoints(in: transaction)
        var done = Set<MissingJobs.StepShard>()
        for checkpoint in checkpoints where checkpoint.status.isLive {
            for progress in try store.progress(ofCheckpoint: checkpoint.step, in: transaction) where progress.gradientsDone {
                done.insert(MissingJobs.StepShard(step: progress.step, shard: progress.shard))
            }
        }
        return MissingJobs.Snapshot(
            checkpoints: checkpoints,
            trainingShards: try store.shards(in: transaction).filter { $0.status == .accepted && !$0.isHeldOut }.map(\.ordinal),
            done: done, jobs: try store.jobs(in: transaction))
    }
}

extension CheckpointRecord.Status {
    /// Whether indexing gave up on the checkpoint.
    var isFailed: Bool {
        if case .failed = self { true } else { false }
    }
}

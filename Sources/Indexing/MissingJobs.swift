import AttributionStore

/// Decides which jobs the queue lacks, from a snapshot of the store.
///
/// For every live checkpoint (registered, indexing or indexed):
/// - an index job for each accepted training shard whose progress at the checkpoint is not
///   done and that has no job yet, in any state (a failed job stays failed, so it is not retried
///   forever);
/// - then a finish job, when the checkpoint is not indexed or has shards left, has no pending
///   or running finish job, and can finish: every shard it lacks has a pending or running
///   index job. A failed finish job counts only while no new index job is queued behind it.
///
/// Newest checkpoints come first, so queries get the newest checkpoint soonest; shards go in
/// ordinal order, so a checkpoint's factor sums are added up in the same order every time.
enum MissingJobs {
    /// A job to enqueue.
    struct Job: Hashable {
        let kind: JobRecord.Kind
        let step: UInt64
        let shard: UInt32?
    }

    /// What the store holds, as read in the planning transaction.
    struct Snapshot {
        /// Every checkpoint record.
        var checkpoints: [CheckpointRecord]
        /// Ordinals of the accepted training shards, ascending.
        var trainingShards: [UInt32]
        /// (step, shard) pairs whose gradients are stored.
        var done: Set<StepShard>
        /// Every job in the queue.
        var jobs: [JobRecord]
    }

    struct StepShard: Hashable {
        let step: UInt64
        let shard: UInt32
    }

    /// The jobs to enqueue, in order; only checkpoints in `steps` are considered when given.
    static func plan(_ snapshot: Snapshot, steps: Set<UInt64>? = nil) -> [Job] {
        var indexJobs: [StepShard: JobRecord.State] = [:]
        var finishJobs: [UInt64: Set<JobRecord.State>] = [:]
        for job in snapshot.jobs {
            switch job.kind {
            case .indexShard:
                guard let shard = job.shard else { continue }
                indexJobs[StepShard(step: job.step, shard: shard)] = job.state
            case .finishCheckpoint:
                finishJobs[job.step, default: []].insert(job.state)
            }
        }
        var planned: [Job] = []
        let live = snapshot.checkpoints.filter { $0.status.isLive && steps?.contains($0.step) != false }
        for checkpoint in live.sorted(by: { $0.step > $1.step }) {
            let step = checkpoint.step
            let missing = snapshot.trainingShards.filter { !snapshot.done.contains(StepShard(step: step, shard: $0)) }
            let new = missing.filter { indexJobs[StepShard(step: step, shard: $0)] == nil }
            planned += new.map { Job(kind: .indexShard, step: step, shard: $0) }
            let canFinish = missing.allSatisfy { shard in
                new.contains(shard) || indexJobs[StepShard(step: step, shard: shard)].map { $0 != .failed } == true
            }
            let finishStates = finishJobs[step] ?? []
            let needsFinish = checkpoint.status != .indexed || !missing.isEmpty
            let finishOpen = finishStates.contains(.pending) || finishStates.contains(.running)
            let finishBlocked = finishStates.contains(.failed) && new.isEmpty
            if needsFinish, canFinish, !finishOpen, !finishBlocked {
                planned.append(Job(kind: .finishCheckpoint, step: step, shard: nil))
            }
        }
        return planned
    }
}

extension CheckpointRecord.Status {
    /// Registered, indexing or indexed: a checkpoint that still takes part in indexing.
    var isLive: Bool {
        switch self {
        case .registered, .indexing, .indexed: true
        case .failed, .retired: false
        }
    }
}

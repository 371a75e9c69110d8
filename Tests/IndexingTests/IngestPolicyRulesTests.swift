import AttributionStore
@testable import Indexing
import Testing

/// The planning and retention rules on hand-made store snapshots.
@Suite struct IngestPolicyRulesTests {
    static func checkpoint(_ step: UInt64, _ status: CheckpointRecord.Status) -> CheckpointRecord {
        CheckpointRecord(step: step, path: "/c/\(step)", status: status, registeredAt: Timestamp(nanosecondsSinceEpoch: 0))
    }

    static func job(_ sequence: UInt64, _ kind: JobRecord.Kind, _ step: UInt64, _ shard: UInt32?, _ state: JobRecord.State) -> JobRecord {
        JobRecord(sequence: sequence, kind: kind, step: step, shard: shard, state: state, attempts: 1, lastError: nil)
    }

    @Test func retentionKeepsTheNewestIndexedAndRetiresAnUnindexedBacklog() {
        let checkpoints = [Self.checkpoint(1, .indexed), Self.checkpoint(2, .indexed), Self.checkpoint(3, .indexing),
                           Self.checkpoint(4, .registered), Self.checkpoint(5, .failed(reason: "x")), Self.checkpoint(6, .retired)]
        #expect(Retention(keep: 0).stepsToRetire(checkpoints).isEmpty)
        #expect(Retention(keep: 1).stepsToRetire(checkpoints) == [1, 3])
        #expect(Retention(keep: 2).stepsToRetire(checkpoints).isEmpty)
        #expect(Retention(keep: 2).retiresOnArrival(step: 2, liveSteps: [3, 4]))
        #expect(!Retention(keep: 2).retiresOnArrival(step: 5, liveSteps: [3, 4]))
        #expect(!Retention(keep: 0).retiresOnArrival(step: 1, liveSteps: [3, 4]))
    }

    @Test func failedJobsAreNotQueuedAgainAndBlockAFinishThatCannotSucceed() {
        let done: Set<MissingJobs.StepShard> = [.init(step: 1, shard: 0)]
        var snapshot = MissingJobs.Snapshot(
            checkpoints: [Self.checkpoint(1, .indexing), Self.checkpoint(2, .failed(reason: "x"))], trainingShards: [0, 1],
            done: done, jobs: [Self.job(1, .indexShard, 1, 1, .failed)])
        #expect(MissingJobs.plan(snapshot).isEmpty)

        // A failed finish job blocks while nothing new is queued behind it…
        snapshot.jobs = [Self.job(1, .finishCheckpoint, 1, nil, .failed)]
        snapshot.done.insert(.init(step: 1, shard: 1))
        #expect(MissingJobs.plan(snapshot).isEmpty)
        // …and not once a new shard gives the checkpoint new work.
        snapshot.trainingShards.append(2)
        #expect(MissingJobs.plan(snapshot) == [
            .init(kind: .indexShard, step: 1, shard: 2), .init(kind: .finishCheckpoint, step: 1, shard: nil),
        ])
        // A pending finish job is enough for new shards.
        snapshot.jobs = [Self.job(1, .finishCheckpoint, 1, nil, .pending)]
        #expect(MissingJobs.plan(snapshot) == [.init(kind: .indexShard, step: 1, shard: 2)])
        // An indexed checkpoint with every shard done needs nothing.
        snapshot.checkpoints = [Self.checkpoint(1, .indexed)]
        snapshot.trainingShards = [0, 1]
        snapshot.jobs = []
        #expect(MissingJobs.plan(snapshot).isEmpty)
    }
}

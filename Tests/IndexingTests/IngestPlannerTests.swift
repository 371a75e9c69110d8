import AttributionStore
import Foundation
@testable import Indexing
import LMDB
import Testing

/// Reconciling the disk with the store queues exactly the missing jobs, and a crash at any
/// point followed by requeue + reconcile indexes every example exactly once.
@Suite struct IngestPlannerTests {
    /// A job as (kind, step, shard ordinal), for comparing queues.
    struct QueuedJob: Hashable, CustomStringConvertible {
        let kind: JobRecord.Kind, step: UInt64, shard: UInt32?
        var description: String { "\(kind)@\(step)" + (shard.map { "/\($0)" } ?? "") }
    }

    static func queue(_ store: AttributionStore) throws -> [QueuedJob] {
        try store.read { try store.jobs(in: $0) }.map { QueuedJob(kind: $0.kind, step: $0.step, shard: $0.shard) }
    }

    static func index(_ step: UInt64, _ shard: UInt32) -> QueuedJob { QueuedJob(kind: .indexShard, step: step, shard: shard) }
    static func finish(_ step: UInt64) -> QueuedJob { QueuedJob(kind: .finishCheckpoint, step: step, shard: nil) }

    /// Every stored gradient row per step, as example ids.
    static func storedIDs(_ store: AttributionStore) throws -> [UInt64: [Int64]] {
        try store.read { transaction in
            var ids: [UInt64: [Int64]] = [:]
            for checkpoint in try store.checkpoints(in: transaction) {
                try store.forEachGradientBlock(steps: [checkpoint.step], in: transaction) { ids[checkpoint.step, default: []] += $0.ids }
            }
            return ids
        }
    }

    @Test func reconcileQueuesExactlyTheMissingJobsAndNothingTwice() throws {
        let run = try IndexingTestRun.make()
        defer { run.remove() }
        let (store, settings) = try IndexStoreFolder.open(run.storeFolder(), requested: IndexingTestRun.settings)
        let indexer = Indexer(run: run.run, store: store, settings: settings)
        try indexer.reconcile()
        // The held-out shard is registered but never queued: it is not attributed.
        let training = try store.read { try store.shards(in: $0) }.filter { !$0.isHeldOut }.map(\.ordinal)
        #expect(training.count == 3)
        let expected = [2, 1].flatMap { step in training.map { Self.index(step, $0) } + [Self.finish(step)] }
        #expect(try Self.queue(store) == expected)
        try indexer.reconcile()
        #expect(try Self.queue(store) == expected)

        // Two units done: the queue loses exactly them, and a reconcile puts nothing back.
        for _ in 0..<2 { _ = try indexer.perform(try #require(try indexer.takeNextJob())) }
        try indexer.reconcile()
        #expect(try Self.queue(store) == Array(expected.dropFirst(2)))

        // A new shard is queued at both live checkpoints; their finish jobs are already queued.
        try IndexingTestRun.writeShard(run.run.dataFolder.appendingPathComponent("shard-00003.safetensors"), first: 300)
        try indexer.reconcile()
        let added = try #require(try store.read { try store.shard(named: "shard-00003.safetensors", in: $0) })
        let queue = try Self.queue(store)
        #expect(Array(queue.suffix(2)) == [Self.index(2, added.ordinal), Self.index(1, added.ordinal)])
        #expect(queue.count == expected.count)
    }

    @Test func interruptedJobsAreRequeuedAndEveryExampleIsIndexedExactlyOnce() throws {
        let run = try IndexingTestRun.make()
        defer { run.remove() }
        let (store, settings) = try IndexStoreFolder.open(run.storeFolder(), requested: IndexingTestRun.settings)
        // The first process runs three jobs and dies while running a fourth.
        do {
            let indexer = Indexer(run: run.run, store: store, settings: settings)
            try indexer.reconcile()
            for _ in 0..<3 { _ = try indexer.perform(try #require(try indexer.takeNextJob())) }
            _ = try #require(try indexer.takeNextJob())
        }
        let states = try store.read { try store.jobs(in: $0) }.map(\.state)
        #expect(states.count { $0 == .running } == 1)
        // A unit already stored must not be stored again even if a job for it is queued.
        let training = try store.read { try store.shards(in: $0) }.filter { !$0.isHeldOut }
        try store.write { _ = try store.enqueueJob(.indexShard, step: 2, shard: training[0].ordinal, in: $0) }

        let indexer = Indexer(run: run.run, store: store, settings: settings)
        #expect(try store.write { try store.requeueInterruptedJobs(in: $0) } == 1)
        let queued = try Self.queue(store)
        try indexer.reconcile()
        #expect(try Self.queue(store) == queued)
        while let job = try indexer.takeNextJob() { _ = try indexer.perform(job) }

        let examples = try store.read { try store.examples(in: $0) }
            .filter { example in training.contains { $0.ordinal == example.shard } }.map(\.id).sorted()
        #expect(examples.count == 18)
        let stored = try Self.storedIDs(store)
        #expect(stored[1]?.sorted() == examples && stored[2]?.sorted() == examples)
        #expect(try store.read { try store.checkpoints(in: $0) }.map(\.status) == [.indexed, .indexed])
        #expect(try Self.queue(store).isEmpty)
    }

    static func status(_ store: AttributionStore, _ step: UInt64) throws -> CheckpointRecord.Status? {
        try store.read { try store.checkpoint(step: step, in: $0) }?.status
    }

    @Test func retentionRetiresTheOlderCheckpointOnceTheNewerIsIndexed() throws {
        let run = try IndexingTestRun.make()
        defer { run.remove() }
        let newer = run.run.checkpointFolder(step: 2), parked = run.folder.appendingPathComponent("parked")
        try FileManager.default.moveItem(at: newer, to: parked)
        let (store, settings) = try IndexStoreFolder.open(run.storeFolder(), requested: IndexingTestRun.settings)
        let indexer = Indexer(run: run.run, store: store, settings: settings, retainCheckpoints: 1)
        #expect(try indexer.index().isEmpty)
        #expect(try Self.status(store, 1) == .indexed)

        try FileManager.default.moveItem(at: parked, to: newer)
        try indexer.reconcile()
        // Checkpoint 1 answers queries until 2 is indexed.
        #expect(try Self.status(store, 1) == .indexed && Self.status(store, 2) == .registered)
        while let job = try indexer.takeNextJob() { _ = try indexer.perform(job) }
        #expect(try Self.status(store, 1) == .retired && Self.status(store, 2) == .indexed)
        try store.read { (transaction: borrowing ReadTransaction) throws in
            #expect(try store.gradientBlockCount(step: 1, in: transaction) == 0)
            #expect(try store.factors(step: 1, in: transaction).isEmpty)
            #expect(try store.selfInfluences(step: 1, in: transaction).isEmpty)
            #expect(try store.progress(ofCheckpoint: 1, in: transaction).isEmpty)
            #expect(try store.gradientBlockCount(step: 2, in: transaction) == 6)
        }
        let attributor = Attributor(run: run.run, store: store, settings: settings)
        #expect(try attributor.attribute(AttributionQuery(samples: IndexingTestRun.samples(), checkpoints: .all)).checkpoints == [2])
        try indexer.reconcile()
        #expect(try Self.queue(store).isEmpty)
    }

    @Test func aBacklogOfCheckpointsCostsOnlyTheRetainedIndexings() throws {
        let run = try IndexingTestRun.make()
        defer { run.remove() }
        for step in [3, 4] {
            try FileManager.default.copyItem(at: run.run.checkpointFolder(step: 2), to: run.run.checkpointFolder(step: step))
        }
        let (store, settings) = try IndexStoreFolder.open(run.storeFolder(), requested: IndexingTestRun.settings)
        let log = EventLog()
        let indexer = Indexer(run: run.run, store: store, settings: settings, retainCheckpoints: 2, events: log.record)
        try indexer.reconcile()
        #expect(Set(try Self.queue(store).map(\.step)) == [3, 4])
        #expect(log.events.compactMap { if case .checkpointRegistered(let step) = $0 { step } else { nil } } == [4, 3])
        #expect(log.events.compactMap { if case .checkpointRetired(let step) = $0 { step } else { nil } } == [2, 1])
        #expect(try indexer.index().isEmpty)
        #expect(try store.read { try store.checkpoints(in: $0) }.map(\.status) == [.retired, .retired, .indexed, .indexed])
        #expect(log.indexedShards == 6)
    }
}

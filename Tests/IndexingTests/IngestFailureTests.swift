import AttributionStore
import Foundation
import Indexing
import LMDB
import Testing

/// What happens to jobs that throw, shards that stop being readable and checkpoints that stop
/// loading after they were registered.
@Suite struct IngestFailureTests {
    static func drain(_ indexer: Indexer, steps: [Int]? = nil) throws -> [IndexingJobOutcome] {
        var outcomes: [IndexingJobOutcome] = []
        while let job = try indexer.takeNextJob(steps: steps) { outcomes.append(try indexer.perform(job)) }
        return outcomes
    }

    @Test func aJobThatKeepsThrowingIsRetriedThenKeptAsFailed() throws {
        let run = try IndexingTestRun.make()
        defer { run.remove() }
        let (store, settings) = try IndexStoreFolder.open(run.storeFolder(), requested: IndexingTestRun.settings)
        let log = EventLog()
        let indexer = Indexer(run: run.run, store: store, settings: settings, jobAttempts: 2, events: log.record)
        try indexer.reconcile(steps: [2])
        // A factor record for a layer the model does not have makes every shard unit of step 2 throw.
        try store.write { try store.putFactor(FactorRecord(step: 2, layer: 999, sampleCount: 1, rowCount: 1, arrays: []), in: $0) }
        let outcomes = try Self.drain(indexer)
        // Three shard jobs, each tried twice; then the finish job, which cannot succeed.
        let shardJob: [IndexingJobOutcome] = [.failed(willRetry: true), .failed(willRetry: false)]
        #expect(outcomes == shardJob + shardJob + shardJob + [.failed(willRetry: false)])
        let jobs = try store.read { try store.jobs(in: $0) }
        #expect(jobs.count == 4 && jobs.allSatisfy { $0.state == .failed })
        #expect(jobs.filter { $0.kind == .indexShard }.allSatisfy { $0.attempts == 2 && $0.lastError?.contains("factor") == true })
        let finish = try #require(jobs.first { $0.kind == .finishCheckpoint })
        #expect(finish.lastError?.contains("whose jobs failed") == true)
        #expect(log.events.count { if case .jobFailed = $0 { true } else { false } } == 7)
        // Failed jobs stay failed: reconciling queues nothing again.
        try indexer.reconcile(steps: [2])
        #expect(try store.read { try store.jobs(in: $0) } == jobs)
        #expect(try store.read { try store.checkpoint(step: 2, in: $0) }?.status == .indexing)
    }

    @Test func aShardUnreadableAtIndexTimeIsRejectedAndTheRestIsIndexed() throws {
        let run = try IndexingTestRun.make()
        defer { run.remove() }
        let (store, settings) = try IndexStoreFolder.open(run.storeFolder(), requested: IndexingTestRun.settings)
        let log = EventLog()
        let indexer = Indexer(run: run.run, store: store, settings: settings, events: log.record)
        try indexer.reconcile()
        try Data("overwritten".utf8).write(to: run.run.dataFolder.appendingPathComponent("shard-00001.safetensors"))
        let outcomes = try Self.drain(indexer)
        #expect(outcomes.count { $0 == .shardRejected } == 1)
        #expect(log.rejected == ["shard-00001.safetensors"])
        let shard = try #require(try store.read { try store.shard(named: "shard-00001.safetensors", in: $0) })
        guard case .rejected(let reason) = shard.status else { Issue.record("shard not rejected"); return }
        #expect(reason.contains("shard-00001.safetensors"))
        try store.read { (transaction: borrowing ReadTransaction) throws in
            #expect(try store.examples(inShard: shard.ordinal, in: transaction).isEmpty)
            #expect(try store.jobs(in: transaction).isEmpty)
            for step: UInt64 in [1, 2] {
                #expect(try store.checkpoint(step: step, in: transaction)?.status == .indexed)
                #expect(try store.selfInfluences(step: step, in: transaction).count == 12)
            }
        }
        let result = try Attributor(run: run.run, store: store, settings: settings)
            .attribute(AttributionQuery(samples: IndexingTestRun.samples(), topK: 3))
        #expect(result.examples == 12)
    }

    @Test func aCheckpointThatStopsLoadingFailsUntilItsFilesChange() throws {
        let run = try IndexingTestRun.make()
        defer { run.remove() }
        let (store, settings) = try IndexStoreFolder.open(run.storeFolder(), requested: IndexingTestRun.settings)
        try Indexer(run: run.run, store: store, settings: settings).reconcile()
        let weights = run.run.checkpointFolder(step: 2).appendingPathComponent("unet/diffusion_pytorch_model.safetensors")
        let good = try Data(contentsOf: weights)
        try good.prefix(good.count / 2).write(to: weights)

        // A new process (nothing cached) finds it unloadable when its first job runs.
        let log = EventLog()
        let indexer = Indexer(run: run.run, store: store, settings: settings, events: log.record)
        _ = try Self.drain(indexer)
        #expect(log.failedCheckpoints == [2])
        guard case .failed(let reason)? = try store.read({ try store.checkpoint(step: 2, in: $0) })?.status else {
            Issue.record("checkpoint 2 not failed"); return
        }
        #expect(reason.contains("checkpoint 2"))
        try store.read { (transaction: borrowing ReadTransaction) throws in
            #expect(try store.jobs(in: transaction).isEmpty)
            #expect(try store.gradientBlockCount(step: 2, in: transaction) == 0)
            #expect(try store.checkpoint(step: 1, in: transaction)?.status == .indexed)
        }
        // Unchanged files are not loaded again; rewritten ones are.
        try indexer.reconcile()
        #expect(log.failedCheckpoints == [2])
        try good.write(to: weights)
        try indexer.reconcile()
        #expect(try store.read { try store.checkpoint(step: 2, in: $0) }?.status == .registered)
        _ = try Self.drain(indexer)
        #expect(try store.read { try store.checkpoint(step: 2, in: $0) }?.status == .indexed)
    }
}

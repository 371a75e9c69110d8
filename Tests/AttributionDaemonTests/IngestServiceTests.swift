import AttributionDaemon
import AttributionStore
import DiffusionModel
import Foundation
import Indexing
import LMDB
import Logging
import ServiceLifecycle
import Testing

/// The ingest service end to end, in process: real files, real inotify, a real LMDB store.
@Suite(.serialized) struct IngestServiceTests {
    static let quietLogger = Logger(label: "ingest-tests") { _ in SwiftLogNoOpLogHandler() }

    static func service(_ run: IngestTestRun, _ store: AttributionStore, policy: IngestPolicy,
                        indexed: IndexedSteps = IndexedSteps()) -> IngestService {
        IngestService(run: run.run, store: store, settings: IngestTestRun.settings, policy: policy, logger: quietLogger,
                      onCheckpointIndexed: { indexed.append($0) })
    }

    static func shard(_ store: AttributionStore, number: Int) throws -> ShardRecord? {
        try store.read { try store.shard(named: DataShardFileName.name(.training, number: number), in: $0) }
    }

    /// Whether every accepted training shard is indexed at `step` and the checkpoint is indexed.
    static func fullyIndexed(_ store: AttributionStore, step: UInt64) throws -> Bool {
        try store.read { transaction in
            guard try store.checkpoint(step: step, in: transaction)?.status == .indexed else { return false }
            return try store.shards(in: transaction).filter { $0.status == .accepted }.allSatisfy {
                try store.progress(step: step, shard: $0.ordinal, in: transaction)?.gradientsDone == true
            }
        }
    }

    @Test(.timeLimit(.minutes(10)))
    func filesAddedWhileRunningAreIngestedWithoutRestart() async throws {
        let run = try IngestTestRun.make(shards: 2)
        defer { run.remove() }
        let store = try run.openStore()
        let indexed = IndexedSteps()
        // No periodic rescan during the test: only the start-up reconcile and file events drive it.
        let service = Self.service(run, store, policy: IngestPolicy(retainCheckpoints: 1, jobAttempts: 2, rescanInterval: .seconds(3600)),
                                   indexed: indexed)
        let task = Task { try await service.run() }

        // The callback runs right after the commit, so wait for both.
        try await eventually("checkpoint 1 indexed") { try Self.fullyIndexed(store, step: 1) && indexed.all == [1] }
        #expect(try store.storedIDs(step: 1).sorted() == Array(0..<12))

        try IngestTestRun.writeShard(number: 2, in: run.data)
        try await eventually("the new shard indexed at checkpoint 1") {
            try Self.shard(store, number: 2) != nil && Self.fullyIndexed(store, step: 1)
                && store.read { try store.selfInfluences(step: 1, in: $0) }.count == 18
        }
        #expect(try store.storedIDs(step: 1).sorted() == Array(0..<18))

        try run.addTruncatedShard(number: 3)
        try await eventually("the truncated shard rejected") { try Self.shard(store, number: 3)?.status != nil }
        guard case .rejected(let reason)? = try Self.shard(store, number: 3)?.status else {
            Issue.record("truncated shard accepted"); return
        }
        #expect(reason.contains("shard-00003.safetensors"))

        try run.addLaterCheckpoint()
        try await eventually("checkpoint 2 indexed and checkpoint 1 retired") {
            try Self.fullyIndexed(store, step: 2) && store.status(ofCheckpoint: 1) == .retired && indexed.all.last == 2
        }
        #expect(try store.storedIDs(step: 2).sorted() == Array(0..<18))
        #expect(try store.storedIDs(step: 1).isEmpty)
        #expect(try store.read { try store.factors(step: 1, in: $0) }.isEmpty)

        try run.addMismatchedCheckpoint(step: 3)
        try await eventually("checkpoint 3 failed and reported") {
            try store.status(ofCheckpoint: 3)?.isFailed == true && service.status().recentErrors.contains { $0.source == "checkpoint 3" }
        }
        guard case .failed(let why)? = try store.status(ofCheckpoint: 3) else { return }
        #expect(why.contains("checkpoint 3"))
        #expect(try store.status(ofCheckpoint: 2) == .indexed)

        let status = service.status()
        #expect(status.recentErrors.contains { $0.source == "shard shard-00003.safetensors" })
        #expect(status.examplesIndexed == 36 && status.running == nil && status.pendingJobs == 0 && status.failedJobs == 0)
        #expect(status.jobsCompleted >= 8)
        #expect(Date().timeIntervalSince(status.lastActivity) < 10)

        task.cancel()
        try await task.value
    }

    @Test(.timeLimit(.minutes(10)))
    func gracefulShutdownMidBacklogStopsAfterTheJobInFlight() async throws {
        let run = try IngestTestRun.make(shards: 6, bothCheckpoints: true)
        defer { run.remove() }
        try run.backdateFiles()  // the whole backlog is queued by the start-up reconcile
        let store = try run.openStore()
        let total = 2 * (6 + 1)
        let service = Self.service(run, store, policy: IngestPolicy(retainCheckpoints: 0))
        let group = ServiceGroup(services: [service], logger: Self.quietLogger)
        let running = Task { try await group.run() }
        try await eventually("the first job done") { service.status().jobsCompleted >= 1 }
        let asked = ContinuousClock.now
        await group.triggerGracefulShutdown()
        try await running.value
        let stopping = ContinuousClock.now - asked

        // It stopped between jobs, long before the backlog was done, leaving nothing running.
        let jobs = try store.read { try store.jobs(in: $0) }
        #expect(!jobs.isEmpty && jobs.allSatisfy { $0.state == .pending })
        #expect(service.status().jobsCompleted + jobs.count == total)
        #expect(stopping < .seconds(30), "stopping took \(stopping)")
        try store.read { (transaction: borrowing ReadTransaction) throws in
            for step: UInt64 in [1, 2] {
                let progress = try store.progress(ofCheckpoint: step, in: transaction)
                var rows = 0
                try store.forEachGradientBlock(steps: [step], in: transaction) { rows += $0.rows }
                #expect(rows == IngestTestRun.examplesPerShard * progress.count)
            }
        }

        // A new service finishes the backlog, every example exactly once.
        let restarted = Self.service(run, store, policy: IngestPolicy(retainCheckpoints: 0))
        let task = Task { try await restarted.run() }
        try await eventually("both checkpoints indexed") {
            try Self.fullyIndexed(store, step: 1) && Self.fullyIndexed(store, step: 2)
        }
        task.cancel()
        try await task.value
        for step: UInt64 in [1, 2] { #expect(try store.storedIDs(step: step).sorted() == Array(0..<36)) }
        #expect(try store.read { try store.jobs(in: $0) }.isEmpty)
    }
}

extension CheckpointRecord.Status {
    /// Whether indexing gave up on the checkpoint.
    var isFailed: Bool {
        if case .failed = self { true } else { false }
    }
}

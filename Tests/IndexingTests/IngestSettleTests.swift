import AttributionStore
import Foundation
@testable import Indexing
import Testing

/// Files still being written are neither read nor refused: a shard or checkpoint counts once
/// reported complete or once quiet for the settle interval.
@Suite struct IngestSettleTests {
    static let shardURL = URL(fileURLWithPath: "/run/data/shard-00001.safetensors")
    static let written = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func aFileSettlesWhenReportedCompleteAfterItsLastWriteOrWhenQuietForTheInterval() {
        let settling = FileSettling(interval: .seconds(10))
        let (url, written) = (Self.shardURL, Self.written)
        #expect(settling.readiness(of: url, modified: written, now: written + 3) == .settling(until: written + 10))
        #expect(settling.readiness(of: url, modified: written, now: written + 10) == .settled)

        // Reported complete (the path spelt differently): settled at once.
        settling.noteCompleted("/run/data/./shard-00001.safetensors", at: written + 1)
        #expect(settling.readiness(of: url, modified: written, now: written + 3) == .settled)
        // Written again after the report: it waits again.
        #expect(settling.readiness(of: url, modified: written + 2, now: written + 3) == .settling(until: written + 12))
        // Lost events: the reports are dropped.
        settling.forgetCompletions()
        #expect(settling.readiness(of: url, modified: written, now: written + 3) == .settling(until: written + 10))

        #expect(FileSettling.immediate.readiness(of: url, modified: written, now: written) == .settled)
        FileSettling.immediate.noteCompleted(url.path, at: written)
        #expect(FileSettling.immediate.readiness(of: url, modified: written + 5, now: written) == .settled)
    }

    @Test func theOldestReportsAreForgottenWhenFull() {
        let settling = FileSettling(interval: .seconds(10), capacity: 2)
        let files = ["a", "b", "c"].map { URL(fileURLWithPath: "/run/data/\($0)") }
        for (offset, file) in files.enumerated() { settling.noteCompleted(file.path, at: Self.written + Double(offset)) }
        let states = files.map { settling.readiness(of: $0, modified: Self.written, now: Self.written + 3) }
        #expect(states == [.settling(until: Self.written + 10), .settled, .settled])
    }

    @Test func unsettledShardsAndCheckpointsWaitSilentlyThenCount() throws {
        let run = try IndexingTestRun.make()
        defer { run.remove() }
        let (store, settings) = try IndexStoreFolder.open(run.storeFolder(), requested: IndexingTestRun.settings)
        let settling = FileSettling(interval: .seconds(600))
        let log = EventLog()
        let indexer = Indexer(run: run.run, store: store, settings: settings, settling: settling, events: log.record)

        // Everything was just written and nothing reported complete: nothing counts yet.
        let settles = try #require(try indexer.reconcile())
        #expect(settles > Date().addingTimeInterval(500))
        #expect(log.events.isEmpty)
        #expect(try store.read { try store.shards(in: $0) }.isEmpty)
        #expect(try store.read { try store.checkpoints(in: $0) }.isEmpty)

        // One shard reported complete, another quiet for longer than the interval.
        let data = run.run.dataFolder
        settling.noteCompleted(data.appendingPathComponent("shard-00000.safetensors").path)
        try Self.backdate(data.appendingPathComponent("shard-00001.safetensors"))
        try indexer.reconcile()
        #expect(try Self.shardNames(store) == ["shard-00000.safetensors", "shard-00001.safetensors"])

        // A checkpoint counts once all three of its files are settled.
        let checkpoint = run.run.checkpointFolder(step: 2)
        let files = TrainingRun.requiredCheckpointFiles.map { checkpoint.appendingPathComponent($0) }
        for file in files.dropLast() { settling.noteCompleted(file.path) }
        try indexer.reconcile()
        #expect(try store.read { try store.checkpoints(in: $0) }.isEmpty)
        settling.noteCompleted(files[2].path)
        try indexer.reconcile()
        #expect(try store.read { try store.checkpoints(in: $0) }.map(\.step) == [2])
        #expect(log.failedCheckpoints.isEmpty && log.rejected.isEmpty)
    }

    @Test func filesThatDoNotParseAreRefusedOnlyOnceQuiet() throws {
        let run = try IndexingTestRun.make()
        defer { run.remove() }
        let (store, settings) = try IndexStoreFolder.open(run.storeFolder(), requested: IndexingTestRun.settings)
        let settling = FileSettling(interval: .seconds(600))
        let log = EventLog()
        let indexer = Indexer(run: run.run, store: store, settings: settings, settling: settling, events: log.record)

        // Half a shard, and a checkpoint whose weights are half there, as a writer leaves them mid-file.
        let data = run.run.dataFolder
        let shard = data.appendingPathComponent("shard-00005.safetensors")
        let whole = try Data(contentsOf: data.appendingPathComponent("shard-00000.safetensors"))
        try whole.prefix(whole.count / 2).write(to: shard)
        let checkpoint = run.run.checkpointFolder(step: 1)
        let files = TrainingRun.requiredCheckpointFiles.map { checkpoint.appendingPathComponent($0) }
        let weights = try Data(contentsOf: files[1])
        try weights.prefix(weights.count / 2).write(to: files[1])
        for file in [files[0], files[2]] { settling.noteCompleted(file.path) }
        try indexer.reconcile()
        #expect(log.rejected.isEmpty && log.failedCheckpoints.isEmpty)

        // Reported closed, but a writer may have reopened them since: not refused while fresh.
        settling.noteCompleted(shard.path)
        settling.noteCompleted(files[1].path)
        let settles = try #require(try indexer.reconcile())
        #expect(settles > Date().addingTimeInterval(500))
        #expect(log.rejected.isEmpty && log.failedCheckpoints.isEmpty)
        #expect(try store.read { try store.checkpoints(in: $0) }.isEmpty)

        // Quiet for the interval: now they are refused.
        for file in [shard] + files { try Self.backdate(file) }
        try indexer.reconcile()
        #expect(log.rejected == ["shard-00005.safetensors"])
        #expect(log.failedCheckpoints == [1])
    }

    /// Sets the file's modification time an hour back.
    static func backdate(_ url: URL) throws {
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-3600)], ofItemAtPath: url.path)
    }

    static func shardNames(_ store: AttributionStore) throws -> [String] {
        try store.read { try store.shards(in: $0) }.map(\.fileName).sorted()
    }
}

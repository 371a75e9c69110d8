import Attribution
import AttributionStore
import DiffusionModel
import Foundation
import Indexing
import Numerics
import Testing

/// Collects indexing events (the indexer reports on the caller's thread).
final class EventLog: @unchecked Sendable {
    private(set) var events: [IndexingEvent] = []
    func record(_ event: IndexingEvent) { events.append(event) }
    var indexedShards: Int { events.count { if case .shardIndexed = $0 { true } else { false } } }
    var rejected: [String] { events.compactMap { if case .shardRejected(let file, _) = $0 { file } else { nil } } }
    var failedCheckpoints: [Int] { events.compactMap { if case .checkpointFailed(let step, _) = $0 { step } else { nil } } }
}

@Suite struct IndexerTests {
    @Test func indexesEveryTrainingShardOnceAndResumesWithNothingRepeated() throws {
        let run = try IndexingTestRun.make()
        defer { run.remove() }
        let (store, settings) = try IndexStoreFolder.open(run.storeFolder(), requested: IndexingTestRun.settings)
        let first = EventLog()
        #expect(try Indexer(run: run.run, store: store, settings: settings, events: first.record).index().isEmpty)
        #expect(first.indexedShards == 6)  // 3 training shards × 2 checkpoints; the held-out shard is not attributed

        let summary = try store.read { try store.summary(in: $0) }
        #expect(summary.indexedCheckpoints == 2 && summary.acceptedShards == 4 && summary.examples == 24)
        for step: UInt64 in [1, 2] {
            let (blocks, influences) = try store.read { transaction in
                (try store.gradientBlockCount(step: step, in: transaction), try store.selfInfluences(step: step, in: transaction))
            }
            #expect(blocks == 6)  // 2 blocks of ≤ 4 rows per shard
            #expect(influences.count == 18)
            #expect(influences.allSatisfy { $0.value > 0 && $0.value.isFinite })
        }

        let second = EventLog()
        #expect(try Indexer(run: run.run, store: store, settings: settings, events: second.record).index().isEmpty)
        #expect(second.indexedShards == 0)
        #expect(second.events.allSatisfy { if case .checkpointStarted(_, let pending) = $0 { pending == 0 } else { true } })
    }

    @Test func badShardsAndCheckpointsAreRecordedAndSkipped() throws {
        let run = try IndexingTestRun.make()
        defer { run.remove() }
        let data = run.run.dataFolder
        let good = try Data(contentsOf: data.appendingPathComponent("shard-00000.safetensors"))
        try good.prefix(good.count / 2).write(to: data.appendingPathComponent("shard-00003.safetensors"))
        try IndexingTestRun.writeShard(data.appendingPathComponent("shard-00004.safetensors"), first: 50, ids: [3, 200, 201, 202, 203, 204])
        try Data("not a tensor file".utf8).write(to: data.appendingPathComponent(".shard-00005.safetensors.tmp"))
        // A checkpoint whose config does not match its weights.
        let broken = run.folder.appendingPathComponent("checkpoint-3")
        try FileManager.default.copyItem(at: run.folder.appendingPathComponent("checkpoint-2"), to: broken)
        let configURL = broken.appendingPathComponent("unet/config.json")
        let config = try String(contentsOf: configURL, encoding: .utf8)
        try config.replacingOccurrences(of: "\"layers_per_block\" : 1", with: "\"layers_per_block\" : 2")
            .replacingOccurrences(of: "\"layers_per_block\": 1", with: "\"layers_per_block\": 2")
            .write(to: configURL, atomically: true, encoding: .utf8)

        let (store, settings) = try IndexStoreFolder.open(run.storeFolder(), requested: IndexingTestRun.settings)
        let log = EventLog()
        let failed = try Indexer(run: run.run, store: store, settings: settings, events: log.record).index()
        #expect(failed == [3])
        #expect(log.failedCheckpoints == [3])
        #expect(Set(log.rejected) == ["shard-00003.safetensors", "shard-00004.safetensors"])
        let shards = try store.read { try store.shards(in: $0) }
        let duplicate = try #require(shards.first { $0.fileName == "shard-00004.safetensors" })
        guard case .rejected(let reason) = duplicate.status else { Issue.record("duplicate shard accepted"); return }
        #expect(reason.contains("already registered") && reason.contains("shard-00000.safetensors"))
        let checkpoint = try #require(try store.read { try store.checkpoint(step: 3, in: $0) })
        guard case .failed(let why) = checkpoint.status else { Issue.record("broken checkpoint not failed"); return }
        #expect(why.contains("checkpoint 3"))

        // The good data is fully indexed and answers queries; a rejected shard is not retried.
        let attributor = Attributor(run: run.run, store: store, settings: settings)
        let result = try attributor.attribute(AttributionQuery(samples: IndexingTestRun.samples(), topK: 3))
        #expect(result.checkpoints == [2] && result.examples == 18)
        let again = EventLog()
        _ = try Indexer(run: run.run, store: store, settings: settings, events: again.record).index(steps: [1, 2])
        #expect(again.rejected.isEmpty && again.indexedShards == 0)
    }
}

import Attribution
import AttributionStore
import DiffusionModel
import Foundation
import Indexing
import LMDB
import Numerics
import Synchronization
import Testing

/// A tiny training run for the ingest tests: training shards of six random 8×8 greyscale
/// images and two checkpoints of a tiny UNet. Files are added the way trainers add them, while
/// the service runs: shards written hidden and renamed, checkpoints built in a hidden folder
/// and renamed.
struct IngestTestRun: Sendable {
    let folder: URL
    /// Checkpoint 2, trained with the run and kept outside it until a test adds it.
    let laterCheckpoint: URL

    static let examplesPerShard = 6

    /// Settings small enough for debug builds.
    static let settings = IndexSettings(
        gradients: .init(projection: .fixed(inputs: 4, outputs: 4), drawsPerExample: 1, queryDraws: 1),
        precision: .float32, blockRows: 4)

    /// A run with `shards` training shards and checkpoint 1 (checkpoint 2 too when `bothCheckpoints`).
    static func make(shards: Int, bothCheckpoints: Bool = false) throws -> IngestTestRun {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-\(UUID().uuidString)")
        let folder = base.appendingPathComponent("run"), data = folder.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        for shard in 0..<shards { try writeShard(number: shard, in: data) }
        let model = try UNet2DConfig(
            sampleSize: 8, inChannels: 1, outChannels: 1, downBlockTypes: [.downBlock2D, .attnDownBlock2D],
            upBlockTypes: [.attnUpBlock2D, .upBlock2D], blockOutChannels: [4, 8], layersPerBlock: 1,
            attentionHeadDim: 4, normNumGroups: 2, resnetTimeScaleShift: .scaleShift)
        var config = TrainingConfig(model: model)
        config.batchSize = 4
        config.steps = 2
        config.checkpointEvery = 1
        config.warmupSteps = 1
        config.useEMA = false
        try Trainer(config: config, dataFolder: data, runFolder: folder, resume: false).train()
        let later = base.appendingPathComponent("later-checkpoint")
        if !bothCheckpoints { try FileManager.default.moveItem(at: TrainingRun(folder: folder).checkpointFolder(step: 2), to: later) }
        return IngestTestRun(folder: folder, laterCheckpoint: later)
    }

    /// Writes training shard `number` (ids from `number × 6`) atomically into `data`.
    static func writeShard(number: Int, in data: URL) throws {
        var generator = SeededGenerator(keys: 0x1E57, UInt64(number))
        let count = examplesPerShard
        let images = Tensor(shape: [count, 1, 8, 8], scalars: (0..<(count * 64)).map { _ in generator.nextUniform() * 2 - 1 })
        let shard = try DataShard(images: images, ids: (0..<count).map { Int64(number * count + $0) },
                                  contributors: nil, contributorNames: [:])
        let name = DataShardFileName.name(.training, number: number)
        let hidden = data.appendingPathComponent(".\(name).tmp")
        try shard.write(to: hidden, asUInt8: false)
        try FileManager.default.moveItem(at: hidden, to: data.appendingPathComponent(name))
    }

    var run: TrainingRun { TrainingRun(folder: folder) }
    var data: URL { run.dataFolder }

    /// Adds checkpoint 2 as our trainer does: built in a hidden folder, renamed into place.
    func addLaterCheckpoint() throws {
        let hidden = folder.appendingPathComponent(".checkpoint-2.tmp-1")
        try FileManager.default.copyItem(at: laterCheckpoint, to: hidden)
        try FileManager.default.moveItem(at: hidden, to: run.checkpointFolder(step: 2))
    }

    /// Adds checkpoint `step` whose config does not match its weights (two layers per block).
    func addMismatchedCheckpoint(step: Int) throws {
        let hidden = folder.appendingPathComponent(".checkpoint-\(step).tmp-1")
        try FileManager.default.copyItem(at: run.checkpointFolder(step: 1), to: hidden)
        let config = hidden.appendingPathComponent("unet/config.json")
        let text = try String(contentsOf: config, encoding: .utf8)
        try text.replacingOccurrences(of: "\"layers_per_block\" : 1", with: "\"layers_per_block\" : 2")
            .replacingOccurrences(of: "\"layers_per_block\": 1", with: "\"layers_per_block\": 2")
            .write(to: config, atomically: true, encoding: .utf8)
        try FileManager.default.moveItem(at: hidden, to: run.checkpointFolder(step: step))
    }

    /// Adds a truncated copy of shard 0 as shard `number`, atomically.
    func addTruncatedShard(number: Int) throws {
        let bytes = try Data(contentsOf: data.appendingPathComponent(DataShardFileName.name(.training, number: 0)))
        let hidden = data.appendingPathComponent(".truncated.tmp")
        try bytes.prefix(bytes.count / 2).write(to: hidden)
        try FileManager.default.moveItem(at: hidden, to: data.appendingPathComponent(DataShardFileName.name(.training, number: number)))
    }

    /// Sets the modification time of everything in the run an hour back, as if written long
    /// before the service started: such files count at start-up (by the settle interval's quiet
    /// rule) without waiting.
    func backdateFiles() throws {
        let past = Date().addingTimeInterval(-3600)
        guard let paths = FileManager.default.enumerator(atPath: folder.path) else { return }
        for case let path as String in paths {
            try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: folder.appendingPathComponent(path).path)
        }
    }

    /// Opens (creating) the store in the run folder's `attribution-store`, as the daemon does by default.
    func openStore() throws -> AttributionStore {
        try IndexStoreFolder.open(folder.appendingPathComponent("attribution-store"), requested: Self.settings).store
    }

    func remove() { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
}

/// Waits until `condition` holds, polling; records an issue and throws after `timeout`.
func eventually(_ what: String, timeout: Duration = .seconds(180), _ condition: () throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while try !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("timed out waiting for \(what)")
            throw IngestTestTimeout(what: what)
        }
        try await Task.sleep(for: .milliseconds(50))
    }
}

/// A wait that did not end in time.
struct IngestTestTimeout: Error {
    let what: String
}

/// Steps reported to `onCheckpointIndexed`, in order.
final class IndexedSteps: Sendable {
    private let steps = Mutex<[Int]>([])
    func append(_ step: Int) { steps.withLock { $0.append(step) } }
    var all: [Int] { steps.withLock { $0 } }
}

extension AttributionStore {
    /// The status of checkpoint `step`, if known.
    func status(ofCheckpoint step: UInt64) throws -> CheckpointRecord.Status? {
        try read { try checkpoint(step: step, in: $0) }?.status
    }

    /// Every stored gradient row of checkpoint `step`, as example ids.
    func storedIDs(step: UInt64) throws -> [Int64] {
        try read { transaction in
            var ids: [Int64] = []
            try forEachGradientBlock(steps: [step], in: transaction) { ids += $0.ids }
            return ids
        }
    }
}

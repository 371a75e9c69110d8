import Attribution
import AttributionStore
import DiffusionModel
import Foundation
import Indexing
import Numerics

/// A tiny training run on disk for the method tests: three training shards of 8×8 greyscale
/// images with contributors and labels, a held-out shard, a shard repeating ids (rejected), and
/// two checkpoints of a tiny UNet.
struct MethodsTestRun: Sendable {
    let folder: URL

    static let examplesPerShard = 6
    static let contributorNames: [Int64: String] = [0: "alice", 1: "bob", 2: "carol"]
    /// Example ids of the held-out shard start here.
    static let firstHeldOutID = 100

    /// Noise draws per query gradient.
    static let queryDraws = 2

    /// Settings small enough for debug builds: one draw per example, float32 storage so scores
    /// compare exactly.
    static let settings = IndexSettings(
        gradients: .init(projection: .fixed(inputs: 4, outputs: 4), drawsPerExample: 1, queryDraws: queryDraws),
        precision: .float32, blockRows: 4)

    /// Writes the run into a fresh temporary folder and trains its two checkpoints.
    static func make() throws -> MethodsTestRun {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("methods-\(UUID().uuidString)")
        let data = folder.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        for shard in 0..<3 {
            try writeShard(data.appendingPathComponent(DataShardFileName.name(.training, number: shard)), first: shard * examplesPerShard)
        }
        try writeShard(data.appendingPathComponent(DataShardFileName.name(.heldOut, number: 0)), first: firstHeldOutID)

        let model = try UNet2DConfig(
            sampleSize: 8, inChannels: 1, outChannels: 1, downBlockTypes: [.downBlock2D, .attnDownBlock2D],
            upBlockTypes: [.attnUpBlock2D, .upBlock2D], blockOutChannels: [4, 8], layersPerBlock: 1,
            attentionHeadDim: 4, normNumGroups: 2, resnetTimeScaleShift: .scaleShift)
        var config = TrainingConfig(model: model)
        config.batchSize = 4
        config.steps = 2
        config.checkpointEvery = 1
        config.warmupSteps = 1
        config.learningRate = 1e-3
        config.useEMA = false
        try Trainer(config: config, dataFolder: data, runFolder: folder, resume: false).train()
        // Written after training, so the trainer never read it: repeats ids 0...5, so it is rejected.
        try writeShard(data.appendingPathComponent(DataShardFileName.name(.training, number: 3)), first: 0)
        return MethodsTestRun(folder: folder)
    }

    /// A shard of `examplesPerShard` random images with ids from `first`, contributors cycling
    /// over three, labels `id % 4`.
    static func writeShard(_ url: URL, first: Int) throws {
        var generator = SeededGenerator(keys: 0x3E7, UInt64(first))
        let count = examplesPerShard
        let images = Tensor(shape: [count, 1, 8, 8], scalars: (0..<(count * 64)).map { _ in generator.nextUniform() * 2 - 1 })
        let ids = (0..<count).map { Int64(first + $0) }
        let shard = try DataShard(images: images, ids: ids, contributors: ids.map { $0 % 3 }, labels: ids.map { $0 % 4 },
                                  contributorNames: contributorNames)
        try shard.write(to: url, asUInt8: false)
    }

    /// `count` query images `[count, 1, 8, 8]` in [-1, 1].
    static func samples(count: Int = 2, seed: UInt64 = 1) -> Tensor {
        var generator = SeededGenerator(keys: 0x5A, seed)
        return Tensor(shape: [count, 1, 8, 8], scalars: (0..<(count * 64)).map { _ in generator.nextUniform() * 2 - 1 })
    }

    var run: TrainingRun { TrainingRun(folder: folder) }

    /// Opens (creating) the store in the run's folder `name`.
    func openStore(_ name: String) throws -> (store: AttributionStore, settings: IndexSettings) {
        try IndexStoreFolder.open(folder.appendingPathComponent(name), requested: Self.settings)
    }

    /// Indexes checkpoints `steps` (all when nil) into `store`.
    func index(_ store: AttributionStore, steps: [Int]? = nil) throws {
        try Indexer(run: run, store: store, settings: Self.settings).index(steps: steps)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}

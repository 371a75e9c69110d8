import Attribution
import AttributionStore
import DiffusionModel
import Foundation
import Indexing
import Numerics
import Testing

/// A tiny training run on disk for indexing tests: three training shards and a held-out shard
/// of random 8×8 greyscale images with contributors, and two checkpoints of a tiny UNet.
struct IndexingTestRun {
    let folder: URL
    let config: TrainingConfig

    static let examplesPerShard = 6
    static let contributorNames: [Int64: String] = [0: "alice", 1: "bob", 2: "carol"]

    /// Writes the run into a fresh temporary folder.
    static func make() throws -> IndexingTestRun {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("indexing-\(UUID().uuidString)")
        let data = folder.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        for shard in 0..<3 { try writeShard(data.appendingPathComponent(String(format: "shard-%05d.safetensors", shard)), first: shard * examplesPerShard) }
        try writeShard(data.appendingPathComponent("heldout-00000.safetensors"), first: 100)

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
        let trainer = try Trainer(config: config, dataFolder: data, runFolder: folder, resume: false)
        try trainer.train()
        return IndexingTestRun(folder: folder, config: config)
    }

    /// A shard of `examplesPerShard` random images with ids from `first`, contributors cycling.
    static func writeShard(_ url: URL, first: Int, ids: [Int64]? = nil) throws {
        var generator = SeededGenerator(keys: 0x7E57, UInt64(first))
        let count = examplesPerShard
        let images = Tensor(shape: [count, 1, 8, 8], scalars: (0..<(count * 64)).map { _ in generator.nextUniform() * 2 - 1 })
        let shard = try DataShard(
            images: images, ids: ids ?? (0..<count).map { Int64(first + $0) },
            contributors: (0..<count).map { Int64(($0 + first) % 3) }, contributorNames: contributorNames)
        try shard.write(to: url, asUInt8: false)
    }

    /// Settings small enough for debug builds; float32 storage so scores compare exactly.
    static let settings = IndexSettings(
        gradients: .init(projection: .fixed(inputs: 4, outputs: 4), drawsPerExample: 2, queryDraws: 2),
        precision: .float32, blockRows: 4)

    /// Query samples `[2, 1, 8, 8]`.
    static func samples() -> Tensor {
        var generator = SeededGenerator(keys: 0x5A, 1)
        return Tensor(shape: [2, 1, 8, 8], scalars: (0..<128).map { _ in generator.nextUniform() * 2 - 1 })
    }

    var run: TrainingRun { TrainingRun(folder: folder) }

    func storeFolder(_ name: String = "store") -> URL { folder.appendingPathComponent(name) }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}

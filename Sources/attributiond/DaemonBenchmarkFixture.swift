import DiffusionModel
import Foundation
import Numerics

/// A training run for the daemon benchmark: synthetic shards of the demo's glyphs and one
/// checkpoint of the demo model (trained weights when given, else its initial weights; the
/// costs measured do not depend on what the weights have learnt).
struct DaemonBenchmarkFixture {
    let run: URL
    let glyphs: SyntheticGlyphs
    let shardSize: Int

    /// Writes `examples` training examples in shards of `shardSize` and a checkpoint at step 1,
    /// unless the run already holds them (so a rerun only measures).
    static func prepare(run: URL, examples: Int, shardSize: Int, training: TrainingConfig, checkpoint: URL?) throws -> DaemonBenchmarkFixture {
        let glyphs = SyntheticGlyphs(size: training.imageSize, contributors: 8, seed: 0)
        let fixture = DaemonBenchmarkFixture(run: run, glyphs: glyphs, shardSize: shardSize)
        let data = run.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        for (number, first) in stride(from: 0, to: examples, by: shardSize).enumerated() {
            try fixture.writeShard(number: number, ids: Int64(first)..<Int64(min(first + shardSize, examples)))
        }
        if !FileManager.default.fileExists(atPath: run.appendingPathComponent(CheckpointLayout.folderName(step: 1)).path) {
            let model = try checkpoint.map { try UNet2DModel.load(unetFolder: $0.appendingPathComponent("unet")) }
                ?? UNet2DModel(config: training.model, seed: training.seed)
            try CheckpointWriter(run: run).write(step: 1, model: model, averagedModel: nil, schedulerConfig: training.schedulerConfig,
                                                 trainingState: nil)
        }
        return fixture
    }

    /// Writes training shard `number` holding `ids` (atomically, as a trainer would), unless present.
    func writeShard(number: Int, ids: Range<Int64>) throws {
        let url = run.appendingPathComponent("data").appendingPathComponent(DataShardFileName.name(.training, number: number))
        guard !FileManager.default.fileExists(atPath: url.path) else { return }
        try glyphs.shard(ids: ids).write(to: url, asUInt8: true)
    }

    /// Query images `[1, C, H, W]` as float32 values: glyphs with ids no training shard uses.
    func queryImage(_ index: Int) throws -> (values: [Float], shape: [Int]) {
        let shard = try glyphs.shard(ids: Int64(100_000_000 + index)..<Int64(100_000_001 + index))
        return (shard.images.scalars, shard.images.shape)
    }
}

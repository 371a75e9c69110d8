import DiffusionModel
import Foundation
import SafeTensors

/// Files a daemon must refuse without stopping: each is complete on disk (renamed into place
/// like a good one), but its contents are wrong.
extension TinyRun {
    /// Training shard `number` cut to half its bytes: the header promises data the file lacks.
    func addTruncatedShard(_ number: Int) throws {
        let bytes = try Self.shard(ids: Self.ids(ofShard: number), seed: UInt64(number)).serialized(asUInt8: false)
        try Self.writeAtomically(Array(bytes.prefix(bytes.count / 2)), to: shardURL(.training, number))
    }

    /// Training shard `number` whose `ids` tensor repeats one id (a file `DataShard` itself
    /// would refuse to write, so it is assembled tensor by tensor).
    func addShardWithRepeatedIDs(_ number: Int) throws {
        var ids = Self.ids(ofShard: number)
        ids[1] = ids[0]
        var writer = SafeTensorsWriter()
        writer.add("images", float32: Self.randomPixels(count: ids.count, seed: UInt64(number)), shape: [ids.count] + Self.imageShape)
        writer.add("ids", int64: ids, shape: [ids.count])
        try Self.writeAtomically(writer.serialized(), to: shardURL(.training, number))
    }

    /// Training shard `number`, valid on its own, whose ids are those of shard `original`.
    func addShardReusingIDs(_ number: Int, of original: Int) throws {
        try Self.shard(ids: Self.ids(ofShard: original), seed: UInt64(number))
            .write(to: shardURL(.training, number), asUInt8: false)
    }

    /// `checkpoint-<step>/` whose `unet/config.json` describes wider blocks than its weights
    /// have: the config parses, so the folder looks complete, but loading the model fails.
    func addCheckpointWithMismatchedConfig(step: Int) throws {
        try addAlteredCheckpoint(step: step) { unet in
            try Self.modelConfig(channels: [8, 16]).jsonData().write(to: unet.appendingPathComponent(UNet2DModel.configFileName))
        }
    }

    /// Replaces the `unet/config.json` of `checkpoint-<step>/` with the tiny UNet's config (the
    /// one its weights were made for), as a user fixing a bad checkpoint would.
    func repairCheckpointConfig(step: Int) throws {
        let unet = folder.appendingPathComponent(CheckpointLayout.folderName(step: step)).appendingPathComponent(CheckpointLayout.unetFolder)
        try Self.writeAtomically([UInt8](try Self.modelConfig().jsonData()), to: unet.appendingPathComponent(UNet2DModel.configFileName))
    }

    /// `checkpoint-<step>/` whose weights file is cut to half its bytes.
    func addCheckpointWithTruncatedWeights(step: Int) throws {
        try addAlteredCheckpoint(step: step) { unet in
            let weights = unet.appendingPathComponent(UNet2DModel.weightsFileName)
            let bytes = try Data(contentsOf: weights)
            try bytes.prefix(bytes.count / 2).write(to: weights)
        }
    }

    /// Builds a good checkpoint outside the run, lets `alter` damage its `unet/` folder, then
    /// renames it into the run in one step, as a trainer publishes a checkpoint.
    private func addAlteredCheckpoint(step: Int, alter: (URL) throws -> Void) throws {
        let workshop = root.appendingPathComponent("workshop-\(step)")
        let built = try Self.writeCheckpoint(step: step, into: workshop)
        try alter(built.appendingPathComponent(CheckpointLayout.unetFolder))
        let target = folder.appendingPathComponent(CheckpointLayout.folderName(step: step))
        guard rename(built.path, target.path) == 0 else {
            throw TestFailure("cannot rename \(built.path) to \(target.path): \(String(cString: strerror(errno)))")
        }
    }
}

import DiffusionModel
import Foundation
import Numerics

/// Models retrained on the subsets of an LDS protocol, kept on disk so a rerun only scores.
///
/// Layout under the cache folder, per entry (e.g. `full-seed-0`, `subset-007-seed-1`):
/// `<entry>/data/shard-000000.safetensors` (the entry's examples) and
/// `<entry>/run/checkpoint-<step>/` (the trained model). A run that was interrupted resumes from
/// its latest checkpoint; a finished one is only loaded.
public struct RetrainingCache: Sendable {
    /// The cache folder.
    public let folder: URL
    /// The training recipe; a subset trained with seed r uses `config.seed + r`.
    public let config: TrainingConfig

    /// A cache in `folder` for models trained with `config`.
    public init(folder: URL, config: TrainingConfig) {
        self.folder = folder
        self.config = config
    }

    /// The name of the entry holding subset `index` trained with seed offset `seed`.
    public static func entryName(subset index: Int, seed: Int) -> String {
        String(format: "subset-%03d-seed-%d", index, seed)
    }

    /// The model trained on the examples `subset` (indices into `data`) with seed offset `seed`,
    /// training it first when the cache does not hold it yet.
    ///
    /// - Parameter progress: Receives the trainer's reports while training.
    public func model(
        entry name: String, seed: Int, examples subset: [Int], of data: TrainingData,
        progress: (any TrainingObserver)? = nil
    ) throws -> UNet2DModel {
        let entry = folder.appendingPathComponent(name)
        let dataFolder = entry.appendingPathComponent("data")
        let run = entry.appendingPathComponent("run")
        if let finished = try finishedCheckpoint(run: run) { return try Checkpoint.load(finished).samplingModel }
        try writeSubset(data.batch(subset), to: dataFolder)
        var seeded = config
        seeded.seed = config.seed &+ UInt64(seed)
        let trainer = try Trainer(config: seeded, dataFolder: dataFolder, runFolder: run, resume: true)
        trainer.observer = progress
        try trainer.train()
        guard let finished = try finishedCheckpoint(run: run) else { throw RetrainingError.trainingDidNotFinish(run: run.path) }
        return try Checkpoint.load(finished).samplingModel
    }

    /// The run's checkpoint at the configured final step, if it has been written.
    private func finishedCheckpoint(run: URL) throws -> URL? {
        guard FileManager.default.fileExists(atPath: run.path) else { return nil }
        return try Checkpoint.steps(inRun: run).contains(config.steps)
            ? run.appendingPathComponent("checkpoint-\(config.steps)") : nil
    }

    /// Writes the subset's examples as one shard (idempotent: the same subset gives the same file).
    private func writeSubset(_ subset: (images: Tensor, ids: [Int64]), to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let shard = try DataShard(images: subset.images, ids: subset.ids)
        try shard.write(to: folder.appendingPathComponent("shard-000000.safetensors"), asUInt8: false)
    }
}

/// Why a retrained model is unavailable.
public enum RetrainingError: Error, CustomStringConvertible {
    /// Training returned without writing the final checkpoint.
    case trainingDidNotFinish(run: String)

    public var description: String {
        switch self {
        case .trainingDidNotFinish(let run): "retraining in \(run) ended before its final checkpoint"
        }
    }
}

import DiffusionModel
import Foundation

/// The files of a training run as the trainer writes them: data shards in `data/`
/// (`shard-*.safetensors` for training, `heldout-*.safetensors` for evaluation) and checkpoint
/// folders `checkpoint-<step>/` next to it.
public struct TrainingRun: Sendable {
    /// The run's folder.
    public let folder: URL

    /// The run in `folder`.
    public init(folder: URL) {
        self.folder = folder
    }

    /// The data folder.
    public var dataFolder: URL { folder.appendingPathComponent("data") }

    /// Shard files present now, sorted by name, with whether each is held out (see
    /// ``DiffusionModel/DataShardFileName``); other files are ignored.
    public func shardFiles() throws -> [(url: URL, isHeldOut: Bool)] {
        guard FileManager.default.fileExists(atPath: dataFolder.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: dataFolder.path).sorted().compactMap { name in
            guard let kind = DataShardFileName.kind(of: name) else { return nil }
            return (dataFolder.appendingPathComponent(name), kind == .heldOut)
        }
    }

    /// Steps of the complete checkpoint folders present now, ascending.
    public func checkpointSteps() throws -> [Int] {
        try Checkpoint.steps(inRun: folder)
    }

    /// The folder of the checkpoint at `step`.
    public func checkpointFolder(step: Int) -> URL {
        folder.appendingPathComponent(CheckpointLayout.folderName(step: step))
    }
}

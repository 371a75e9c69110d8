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

    /// Shard files present now, sorted by name, with whether each is held out. Hidden and
    /// temporary files (names starting with `.`) and other names are ignored.
    public func shardFiles() throws -> [(url: URL, isHeldOut: Bool)] {
        guard FileManager.default.fileExists(atPath: dataFolder.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: dataFolder.path).sorted().compactMap { name in
            guard let isHeldOut = Self.shardKind(ofFileNamed: name) else { return nil }
            return (dataFolder.appendingPathComponent(name), isHeldOut)
        }
    }

    /// Whether a file name is a training shard (`false`), a held-out shard (`true`) or neither (`nil`).
    public static func shardKind(ofFileNamed name: String) -> Bool? {
        guard name.hasSuffix(".safetensors"), !name.hasPrefix(".") else { return nil }
        if name.hasPrefix("shard-") { return false }
        if name.hasPrefix("heldout-") { return true }
        return nil
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

import DiffusionModel
import Foundation

/// What a `checkpoint-<step>` folder on disk holds, as far as indexing is concerned.
///
/// Our trainer renames a finished folder into place, but other trainers (diffusers) write the
/// files inside a visible folder, so a folder is only used once every file it needs is there and
/// settled (see ``FileSettling``). Whether the files parse and match shows when it is loaded; a
/// folder that fails to load counts as still being written until its files are quiet.
public enum CheckpointFolderState: Sendable, Equatable {
    /// A required file is missing.
    case incomplete(reason: String)
    /// Every required file is present, but one may still be being written; unless written again,
    /// all have settled at `until`.
    case settling(until: Date)
    /// Every required file is present and settled.
    case complete(CheckpointFolderSignature)
}

/// The sizes and modification times of a checkpoint's required files: it changes when any of
/// them is rewritten, which is when a checkpoint that failed to load deserves another look.
public struct CheckpointFolderSignature: Sendable, Hashable {
    /// (size in bytes, modification time in nanoseconds) per required file, in a fixed order.
    let files: [FileStamp]

    /// When the most recently modified file was modified.
    var lastModified: Date {
        Date(timeIntervalSince1970: Double(files.map(\.modified).max() ?? 0) / 1e9)
    }

    struct FileStamp: Sendable, Hashable {
        let size: Int64
        let modified: Int64
    }
}

extension TrainingRun {
    /// The files a checkpoint folder needs before it is used, relative to the folder.
    static let requiredCheckpointFiles = [
        "\(CheckpointLayout.unetFolder)/\(UNet2DModel.configFileName)",
        "\(CheckpointLayout.unetFolder)/\(UNet2DModel.weightsFileName)",
        "\(CheckpointLayout.schedulerFolder)/\(CheckpointLayout.schedulerConfigFile)",
    ]

    /// Whether the checkpoint folder at `step` is complete: its UNet config and weights and its
    /// scheduler config exist and have settled under `settling`.
    public func checkpointFolderState(step: Int, settling: FileSettling = .immediate) -> CheckpointFolderState {
        let folder = checkpointFolder(step: step)
        var stamps: [CheckpointFolderSignature.FileStamp] = []
        var settledAt: Date?
        for file in Self.requiredCheckpointFiles {
            let url = folder.appendingPathComponent(file)
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
                  attributes[.type] as? FileAttributeType == .typeRegular else {
                return .incomplete(reason: "\(file) is missing")
            }
            let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
            let modified = (attributes[.modificationDate] as? Date) ?? Date(timeIntervalSince1970: 0)
            stamps.append(.init(size: size, modified: Int64(modified.timeIntervalSince1970 * 1e9)))
            if case .settling(let until) = settling.readiness(of: url, modified: modified) {
                settledAt = max(settledAt ?? until, until)
            }
        }
        if let settledAt { return .settling(until: settledAt) }
        return .complete(CheckpointFolderSignature(files: stamps))
    }
}

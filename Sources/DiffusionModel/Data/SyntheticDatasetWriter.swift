import Foundation
import SafeTensors

/// Writes a synthetic image set as shard files: training shards `shard-00000.safetensors`, …
/// and held-out shards `heldout-00000.safetensors`, … with ids from one running counter, so ids
/// are unique across all of them.
public struct SyntheticDatasetWriter: Sendable {
    /// What was written.
    public struct Summary: Sendable {
        /// Every file, training shards first.
        public var files: [URL]
        /// Examples in the training shards.
        public var trainingExamples: Int
        /// Examples in the held-out shards.
        public var heldOutExamples: Int
        /// Training examples per contributor id.
        public var trainingExamplesPerContributor: [Int64: Int]
        /// Training examples per class label.
        public var trainingExamplesPerClass: [Int64: Int]
    }

    /// The image generator.
    public let glyphs: SyntheticGlyphs
    /// Number of training shards.
    public let shards: Int
    /// Examples per shard.
    public let perShard: Int
    /// Number of held-out shards (ids after all training ids).
    public let heldOutShards: Int

    /// A writer of `shards` training and `heldOutShards` held-out shards of `perShard` examples.
    public init(glyphs: SyntheticGlyphs, shards: Int, perShard: Int, heldOutShards: Int) {
        precondition(shards >= 0 && heldOutShards >= 0 && perShard >= 1, "invalid shard counts")
        self.glyphs = glyphs
        self.shards = shards
        self.perShard = perShard
        self.heldOutShards = heldOutShards
    }

    /// The file name and id range of every shard, training shards first.
    public var plan: [(fileName: String, ids: Range<Int64>)] {
        (0..<(shards + heldOutShards)).map { index in
            let fileName = index < shards
                ? DataShardFileName.name(.training, number: index)
                : DataShardFileName.name(.heldOut, number: index - shards)
            let start = Int64(index) * Int64(perShard)
            return (fileName, start..<start + Int64(perShard))
        }
    }

    /// Creates `folder` if needed and writes every shard into it, each atomically, images as U8.
    public func write(to folder: URL) throws(DataShardError) -> Summary {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw .file(.io(operation: "create folder", path: folder.path, reason: error.localizedDescription))
        }
        var summary = Summary(files: [], trainingExamples: 0, heldOutExamples: 0,
                              trainingExamplesPerContributor: [:], trainingExamplesPerClass: [:])
        for (index, entry) in plan.enumerated() {
            let shard = try glyphs.shard(ids: entry.ids)
            let url = folder.appendingPathComponent(entry.fileName)
            try shard.write(to: url, asUInt8: true)
            summary.files.append(url)
            guard index < shards else {
                summary.heldOutExamples += shard.count
                continue
            }
            summary.trainingExamples += shard.count
            for contributor in shard.contributors ?? [] { summary.trainingExamplesPerContributor[contributor, default: 0] += 1 }
            for label in shard.labels ?? [] { summary.trainingExamplesPerClass[label, default: 0] += 1 }
        }
        return summary
    }
}

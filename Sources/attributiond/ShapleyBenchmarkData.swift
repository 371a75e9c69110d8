import ContributorValuation
import DiffusionModel
import Foundation
import Numerics

/// The benchmark's data: synthetic glyphs of a few contributors written as training shards and
/// one held-out shard into the run's data folder, and read back in the order the trainer reads
/// them (so example `i` here is example `i` of the full model's training).
struct ShapleyBenchmarkData: Sendable {
    /// Training images `[N, 3, S, S]` in [-1, 1].
    let images: Tensor
    /// Their ids.
    let ids: [Int64]
    /// Their class labels (glyph shapes).
    let labels: [Int]
    /// Number of classes.
    let classes: Int
    /// The players: one per contributor, in increasing contributor id.
    let partition: ContributorPartition
    /// Contributor display names by id.
    let contributorNames: [Int64: String]
    /// The first held-out images `[M, 3, S, S]` the properties compare with.
    let heldOut: Tensor
    /// Class labels of those held-out images (for the classifier's accuracy).
    let heldOutLabels: [Int]

    /// Number of training examples.
    var count: Int { ids.count }

    /// Writes the shards of `settings` into `folder` unless every one is there, then reads them,
    /// keeping the first `heldOutImages` held-out images.
    static func prepare(settings: ShapleyBenchmarkConfig.DataSettings, heldOutImages: Int, folder: URL) throws -> ShapleyBenchmarkData {
        let glyphs = SyntheticGlyphs(size: settings.imageSize, contributors: settings.contributors, seed: settings.seed)
        let writer = SyntheticDatasetWriter(glyphs: glyphs, shards: settings.trainingShards, perShard: settings.examplesPerShard,
                                            heldOutShards: 1)
        let files = writer.plan.map { folder.appendingPathComponent($0.fileName) }
        if !files.allSatisfy({ FileManager.default.fileExists(atPath: $0.path) }) { _ = try writer.write(to: folder) }

        var scalars: [Float] = [], ids: [Int64] = [], contributors: [Int64] = [], labels: [Int] = []
        for file in files.dropLast() {
            let shard = try DataShard.read(contentsOf: file)
            guard let shardContributors = shard.contributors, let shardLabels = shard.labels else {
                throw ShapleyBenchmarkError.unexpectedData(reason: "\(file.lastPathComponent) lacks contributors or labels")
            }
            scalars += shard.images.scalars
            ids += shard.ids
            contributors += shardContributors
            labels += shardLabels.map { Int($0) }
        }
        let side = settings.imageSize
        let heldOutShard = try DataShard.read(contentsOf: files[files.count - 1])
        let perImage = 3 * side * side
        guard heldOutShard.images.shape == [heldOutShard.count, 3, side, side], heldOutShard.count >= heldOutImages,
              let heldOutLabels = heldOutShard.labels else {
            throw ShapleyBenchmarkError.unexpectedData(reason: "the held-out shard does not hold \(heldOutImages) labelled 3×\(side)×\(side) images")
        }
        let partition = ContributorPartition(contributorOfExample: contributors)
        guard partition.count == settings.contributors else {
            throw ShapleyBenchmarkError.unexpectedData(
                reason: "\(partition.count) of \(settings.contributors) contributors have training examples; use more examples per shard")
        }
        return ShapleyBenchmarkData(
            images: Tensor(shape: [ids.count, 3, side, side], scalars: scalars), ids: ids, labels: labels,
            classes: SyntheticGlyphs.classNames.count, partition: partition, contributorNames: glyphs.contributorNames,
            heldOut: Tensor(shape: [heldOutImages, 3, side, side], scalars: Array(heldOutShard.images.scalars.prefix(heldOutImages * perImage))),
            heldOutLabels: heldOutLabels.prefix(heldOutImages).map { Int($0) })
    }

    /// The display name of player `player`.
    func name(ofPlayer player: Int) -> String {
        let id = partition.contributors[player]
        return contributorNames[id] ?? "contributor \(id)"
    }
}

import Foundation
import Numerics

/// The training examples of a data folder: every `shard-*.safetensors` file, in name order,
/// concatenated. Held-out shards (`heldout-*`) and other files are not read.
public struct TrainingData: Sendable {
    /// Images `[N, C, H, W]` in [-1, 1].
    public let images: Tensor
    /// Example ids, unique across shards.
    public let ids: [Int64]
    /// The shard files read, in order.
    public let shards: [URL]

    /// Number of examples.
    public var count: Int { ids.count }

    /// Reads every training shard in `folder`; their images must be `[C, H, W]` = `imageShape`.
    public init(folder: URL, imageShape: [Int]) throws(TrainingError) {
        let shards = try Self.shardFiles(in: folder)
        guard !shards.isEmpty else { throw .noShards(folder: folder.path) }
        var scalars: [Float] = []
        var ids: [Int64] = []
        var seen = Set<Int64>()
        for url in shards {
            let shard: DataShard
            do { shard = try DataShard.read(contentsOf: url) } catch { throw .shard(path: url.path, error) }
            let found = Array(shard.images.shape.dropFirst())
            guard found == imageShape else { throw .imageShapeMismatch(path: url.path, found: found, expected: imageShape) }
            for id in shard.ids where !seen.insert(id).inserted { throw .duplicateExampleID(id, path: url.path) }
            scalars += shard.images.scalars
            ids += shard.ids
        }
        self.images = Tensor(shape: [ids.count] + imageShape, scalars: scalars)
        self.ids = ids
        self.shards = shards
    }

    /// The images at `indices`, `[indices.count, C, H, W]`, and their ids.
    public func batch(_ indices: [Int]) -> (images: Tensor, ids: [Int64]) {
        let perImage = images.count / max(count, 1)
        var scalars: [Float] = []
        scalars.reserveCapacity(indices.count * perImage)
        images.scalars.withUnsafeBufferPointer { source in
            for index in indices {
                scalars.append(contentsOf: source[(index * perImage)..<((index + 1) * perImage)])
            }
        }
        return (Tensor(shape: [indices.count] + images.shape.dropFirst(), scalars: scalars), indices.map { ids[$0] })
    }

    /// `shard-*.safetensors` files directly in `folder`, sorted by name.
    static func shardFiles(in folder: URL) throws(TrainingError) -> [URL] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder.path) } catch {
            throw .noShards(folder: folder.path)
        }
        return names.filter { DataShardFileName.kind(of: $0) == .training }.sorted()
            .map { folder.appendingPathComponent($0) }
    }
}

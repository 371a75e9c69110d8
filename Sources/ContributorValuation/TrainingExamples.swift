import DiffusionModel
import Numerics

/// The training examples of a contributor game, held in memory: validated images and ids.
struct TrainingExamples: Sendable {
    /// Images `[N, C, H, W]`.
    let images: Tensor
    /// Example ids, unique; they key each example's training noise.
    let ids: [Int64]

    /// Validates that `images` holds one image of the model's channels and size per id.
    init(images: Tensor, ids: [Int64], config: UNet2DConfig) throws(ValuationError) {
        guard !ids.isEmpty else { throw .emptyData }
        guard images.rank == 4, images.shape[0] == ids.count else { throw .imagesDoNotMatchIDs(imageShape: images.shape, ids: ids.count) }
        let found = Array(images.shape.dropFirst())
        let side = config.sampleSize ?? found[1]
        let expected = [config.inChannels, side, side]
        guard found == expected, side % config.spatialSizeMultiple == 0 else {
            throw .imageShapeMismatch(found: found, expected: expected)
        }
        var seen = Set<Int64>()
        for id in ids where !seen.insert(id).inserted { throw .duplicateExampleID(id) }
        self.images = images
        self.ids = ids
    }

    /// Number of examples.
    var count: Int { ids.count }

    /// The images at `indices`, `[indices.count, C, H, W]`, and their ids.
    func batch(_ indices: [Int]) -> (images: Tensor, ids: [Int64]) {
        let perImage = images.count / count
        var scalars: [Float] = []
        scalars.reserveCapacity(indices.count * perImage)
        images.scalars.withUnsafeBufferPointer { source in
            for index in indices { scalars.append(contentsOf: source[(index * perImage)..<((index + 1) * perImage)]) }
        }
        return (Tensor(shape: [indices.count] + images.shape.dropFirst(), scalars: scalars), indices.map { ids[$0] })
    }
}

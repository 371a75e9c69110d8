import Numerics

/// A batch of training examples as stored on disk: images with stable ids, and optionally each
/// example's contributor and class label, with the names those numbers stand for.
///
/// Every initialiser validates, so a `DataShard` value always satisfies: images are
/// `[N, C, H, W]` with finite elements in [-1, 1], ids are unique, and per-example arrays have N
/// entries.
public struct DataShard: Sendable, Equatable {
    /// Images `[N, C, H, W]` (channels-first, as in files), elements in [-1, 1].
    public let images: Tensor
    /// Stable example ids, one per image, unique (across shards by convention of the writer).
    public let ids: [Int64]
    /// The contributor of each example, if known.
    public let contributors: [Int64]?
    /// The class label of each example, if known.
    public let labels: [Int64]?
    /// Display names of contributor ids.
    public let contributorNames: [Int64: String]
    /// Display names of class labels.
    public let classNames: [Int64: String]

    /// A validated shard.
    public init(
        images: Tensor, ids: [Int64], contributors: [Int64]? = nil, labels: [Int64]? = nil,
        contributorNames: [Int64: String] = [:], classNames: [Int64: String] = [:]
    ) throws(DataShardError) {
        guard images.rank == 4 else { throw .wrongRank(tensor: "images", expected: 4, shape: images.shape) }
        let count = images.shape[0]
        for (name, values) in [("ids", ids), ("contributors", contributors), ("labels", labels)] {
            if let values, values.count != count { throw .countMismatch(tensor: name, count: values.count, images: count) }
        }
        var seen = Set<Int64>()
        for id in ids where !seen.insert(id).inserted { throw .duplicateID(id) }
        if let index = images.scalars.firstIndex(where: { !($0 >= -1 && $0 <= 1) }) {
            throw .imageValueOutOfRange(index: index, value: images.scalars[index])
        }
        self.images = images
        self.ids = ids
        self.contributors = contributors
        self.labels = labels
        self.contributorNames = contributorNames
        self.classNames = classNames
    }

    /// Number of examples.
    public var count: Int { ids.count }

    /// Channels, height and width of every image.
    public var imageShape: (channels: Int, height: Int, width: Int) {
        (images.shape[1], images.shape[2], images.shape[3])
    }
}

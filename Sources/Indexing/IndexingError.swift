/// Why a unit of indexing could not be done. Each names the file or record at fault; the indexer
/// records shard and checkpoint failures in the store and carries on with the rest.
public enum IndexingError: Error, CustomStringConvertible {
    /// A shard file could not be read or is malformed.
    case unreadableShard(file: String, reason: String)
    /// A shard repeats example ids already registered from another shard.
    case duplicateExampleIDs(file: String, ids: [Int64], firstOwner: String)
    /// A shard's images do not fit the model being indexed.
    case imageShapeMismatch(file: String, found: [Int], expected: String)
    /// A checkpoint folder could not be loaded.
    case unreadableCheckpoint(step: Int, reason: String)
    /// The store has no such checkpoint, or it is not indexed yet.
    case checkpointNotIndexed(step: Int)
    /// The store has no indexed checkpoint at all.
    case nothingIndexed
    /// Query samples do not fit the model of checkpoint `step`; `expected` describes the image
    /// shape `[C, H, W]` it takes, `found` is the samples'.
    case sampleShapeMismatch(step: Int, expected: String, found: [Int])
    /// Checkpoint `step`'s stored curvature factors are missing, malformed or of another layout.
    case unusableFactors(step: Int, reason: String)

    public var description: String {
        switch self {
        case .unreadableShard(let file, let reason): "shard \(file): \(reason)"
        case .duplicateExampleIDs(let file, let ids, let owner):
            "shard \(file): \(ids.count) example id(s) already registered from \(owner), e.g. \(ids.prefix(5).map(String.init).joined(separator: ", "))"
        case .imageShapeMismatch(let file, let found, let expected): "shard \(file): images \(found) do not fit the model (\(expected))"
        case .unreadableCheckpoint(let step, let reason): "checkpoint \(step): \(reason)"
        case .checkpointNotIndexed(let step): "checkpoint \(step) is not indexed"
        case .nothingIndexed: "no checkpoint has been indexed yet"
        case .sampleShapeMismatch(let step, let expected, let found):
            "samples have image shape \(found) but the model at step \(step) expects \(expected)"
        case .unusableFactors(let step, let reason): "the curvature factors of checkpoint \(step) are unusable: \(reason)"
        }
    }
}

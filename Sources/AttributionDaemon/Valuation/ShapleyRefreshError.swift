/// Why a Shapley refresh failed. The job is marked failed with this description (shown as
/// `status.shapley.last_error`) and the daemon goes on serving.
enum ShapleyRefreshError: Error, CustomStringConvertible {
    /// A stored job names an estimator, sampling or property this build does not know.
    case unreadableJob(number: UInt64, reason: String)
    /// No checkpoint is indexed (retired since the request, or never).
    case nothingIndexed
    /// The checkpoint to value cannot be loaded.
    case unreadableCheckpoint(step: Int, reason: String)
    /// An accepted shard file cannot be read any more.
    case unreadableShard(file: String, reason: String)
    /// An accepted shard file is not the one that was indexed.
    case shardChanged(file: String, reason: String)
    /// The training images do not all have one shape.
    case mixedImageShapes(file: String, found: [Int], expected: [Int])
    /// The training shards name no contributor.
    case noContributors
    /// A property needs data the run does not have (held-out images, labels).
    case missingData(property: String, need: String)
    /// Setting up or measuring the properties failed.
    case properties(String)
    /// A coalition game failed: training, pruning, the pruned model's file, influence totals.
    case game(String)
    /// The Shapley estimator refused its inputs or a coalition's evaluation failed.
    case estimator(String)
    /// The store could not be read or written.
    case store(String)

    var description: String {
        switch self {
        case .unreadableJob(let number, let reason): "Shapley job \(number) cannot be run by this version: \(reason)"
        case .nothingIndexed: "no checkpoint is indexed; Shapley values are computed at the newest indexed checkpoint"
        case .unreadableCheckpoint(let step, let reason): "checkpoint \(step) could not be loaded: \(reason)"
        case .unreadableShard(let file, let reason): "shard \(file) could not be read: \(reason)"
        case .shardChanged(let file, let reason): "shard \(file) changed since it was indexed: \(reason)"
        case .mixedImageShapes(let file, let found, let expected):
            "shard \(file) holds images of shape \(found), the other training shards \(expected)"
        case .noContributors: "the accepted training shards name no contributors; there is nobody to credit"
        case .missingData(let property, let need): "\(property) needs \(need)"
        case .properties(let reason): "model properties: \(reason)"
        case .game(let reason): "coalition game: \(reason)"
        case .estimator(let reason): "Shapley estimator: \(reason)"
        case .store(let reason): "store: \(reason)"
        }
    }
}

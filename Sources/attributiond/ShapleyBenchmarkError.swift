/// Why `attributiond benchmark-shapley` cannot go on.
enum ShapleyBenchmarkError: Error, CustomStringConvertible {
    /// A configuration setting is out of range.
    case invalidSetting(key: String, reason: String)
    /// The data folder does not hold what the benchmark wrote (shapes, contributors, labels).
    case unexpectedData(reason: String)
    /// The full model's training ended without its final checkpoint.
    case fullModelMissing(run: String)
    /// Indexing the full model's checkpoint left it unindexed.
    case indexingFailed(step: Int)
    /// A coalition's value is missing after its phase ran (an evaluation failed or was skipped).
    case missingCoalition(game: String, coalition: String)
    /// A work-folder file could not be read or written.
    case workFile(path: String, reason: String)

    var description: String {
        switch self {
        case .invalidSetting(let key, let reason): "shapley benchmark config: \(key) \(reason)"
        case .unexpectedData(let reason): "shapley benchmark data: \(reason)"
        case .fullModelMissing(let run): "the full model's training in \(run) ended before its final checkpoint"
        case .indexingFailed(let step): "indexing checkpoint \(step) of the full model failed (see the lines above)"
        case .missingCoalition(let game, let coalition): "the \(game) game has no value for coalition \(coalition)"
        case .workFile(let path, let reason): "work file \(path): \(reason)"
        }
    }
}

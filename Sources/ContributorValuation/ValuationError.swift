import DiffusionModel

/// Why a contributor game or an influence valuation cannot be set up or evaluated.
public enum ValuationError: Error, Equatable, CustomStringConvertible {
    /// No training examples were given.
    case emptyData
    /// The images tensor does not hold one `[C, H, W]` image per id.
    case imagesDoNotMatchIDs(imageShape: [Int], ids: Int)
    /// The images do not have the model's channels and size.
    case imageShapeMismatch(found: [Int], expected: [Int])
    /// Two training examples share an id (ids key each example's training noise).
    case duplicateExampleID(Int64)
    /// The partition refers to an example the data does not have.
    case partitionOutOfRange(example: Int, examples: Int)
    /// A coalition names a player the partition does not have.
    case unknownPlayer(Int, players: Int)
    /// A training recipe setting is unusable.
    case invalidRecipe(key: String, value: String, reason: String)
    /// The noise schedule settings are refused.
    case scheduler(DDPMSchedulerError)
    /// Pruning sparsity outside [0, 1).
    case invalidSparsity(Double)
    /// Parameters do not have the keys and shapes the model config implies.
    case parametersDoNotMatchConfig(ParameterMismatch)
    /// Parameters hold NaN or infinite values (magnitudes cannot be ranked).
    case nonFiniteParameters(names: [String])
    /// Training a coalition's model (or, with no coalition, recovery training on all examples)
    /// produced a NaN or infinite loss.
    case nonFiniteLoss(coalition: [Int]?, step: Int)
    /// The caller's measurement of a coalition's model failed.
    case measurementFailed(coalition: [Int], reason: String)
    /// A pruned-model file cannot be read or written.
    case prunedFileIO(path: String, reason: String)
    /// A pruned-model file was made for other data, model or settings.
    case prunedFileFingerprintMismatch(path: String, expected: String, found: String?)
    /// A pruned-model file's weights do not match the model config.
    case prunedFileDoesNotMatchConfig(path: String, ParameterMismatch)
    /// A pruned-model file is inconsistent (bad metadata, masks or weights).
    case prunedFileCorrupt(path: String, reason: String)
    /// An influence valuation's settings are unusable.
    case invalidInfluenceSettings(reason: String)
    /// A property's gradient target is unusable.
    case invalidInfluenceTarget(property: Int, reason: String)
    /// The influence totals for a property's samples failed or have the wrong shape.
    case influenceTotalsFailed(property: Int, reason: String)

    /// A readable explanation naming the coalition, file, setting or property concerned.
    public var description: String {
        switch self {
        case .emptyData: "no training examples to value contributors on"
        case .imagesDoNotMatchIDs(let shape, let ids): "images \(shape) are not [\(ids), C, H, W] for \(ids) example ids"
        case .imageShapeMismatch(let found, let expected): "images are \(found) (C, H, W), the model needs \(expected)"
        case .duplicateExampleID(let id): "example id \(id) appears more than once"
        case .partitionOutOfRange(let example, let examples): "the partition names example \(example), the data has \(examples)"
        case .unknownPlayer(let player, let players): "player \(player) does not exist (players 0..<\(players))"
        case .invalidRecipe(let key, let value, let reason): "training recipe \"\(key)\": \(value) is invalid: \(reason)"
        case .scheduler(let error): "noise schedule: \(error)"
        case .invalidSparsity(let sparsity): "pruning sparsity \(sparsity) is not in [0, 1)"
        case .parametersDoNotMatchConfig(let mismatch): "parameters do not match the UNet config: \(mismatch)"
        case .nonFiniteParameters(let names):
            "parameters hold NaN or infinite values in \(names.count) tensors: " + names.prefix(ParameterMismatch.listLimit).joined(separator: ", ")
        case .nonFiniteLoss(let coalition, let step):
            "training \(coalition.map { "coalition " + Self.name($0) } ?? "on all examples") gave a non-finite loss at step \(step); "
                + "lower the learning rate"
        case .measurementFailed(let coalition, let reason): "measuring coalition \(Self.name(coalition)) failed: \(reason)"
        case .prunedFileIO(let path, let reason): "pruned model \(path): \(reason)"
        case .prunedFileFingerprintMismatch(let path, let expected, let found):
            "pruned model \(path) was made for \(found.map { "fingerprint \"\($0)\"" } ?? "no fingerprint"), expected \"\(expected)\""
        case .prunedFileDoesNotMatchConfig(let path, let mismatch): "pruned model \(path) does not match the UNet config: \(mismatch)"
        case .prunedFileCorrupt(let path, let reason): "pruned model \(path) is corrupt: \(reason)"
        case .invalidInfluenceSettings(let reason): "influence valuation: \(reason)"
        case .invalidInfluenceTarget(let property, let reason): "influence target of property \(property): \(reason)"
        case .influenceTotalsFailed(let property, let reason): "influence totals for property \(property): \(reason)"
        }
    }

    /// A coalition as `{0, 2, 5}`.
    static func name(_ coalition: [Int]) -> String {
        "{" + coalition.map(String.init).joined(separator: ", ") + "}"
    }
}

import Foundation

/// Why training cannot start or continue.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
    /// The training configuration file cannot be read or is not valid JSON.
    case unreadableConfig(path: String, reason: String)
    /// A key of the training configuration is not one this trainer knows (likely misspelt).
    case unknownConfigKey(String)
    /// A key of the training configuration holds an unusable value.
    case invalidConfig(key: String, value: String, reason: String)
    /// The `model` section is not a valid UNet2DModel configuration.
    case modelConfig(UNet2DConfigError)
    /// The noise schedule settings are refused.
    case scheduler(DDPMSchedulerError)
    /// The data folder holds no `shard-*.safetensors` file.
    case noShards(folder: String)
    /// A data shard cannot be read.
    case shard(path: String, DataShardError)
    /// A data shard's images do not have the model's channels and size.
    case imageShapeMismatch(path: String, found: [Int], expected: [Int])
    /// Two shards use the same example id.
    case duplicateExampleID(Int64, path: String)
    /// The training folder already holds checkpoints and resuming was not asked for.
    case runAlreadyStarted(folder: String)
    /// The checkpoint to resume from was trained with a different model or schedule.
    case resumeMismatch(checkpoint: String, reason: String)
    /// Reading or writing a checkpoint failed.
    case checkpoint(CheckpointError)
    /// The loss became NaN or infinite (the learning rate is likely too high).
    case nonFiniteLoss(step: Int)

    /// A readable explanation naming the file, key or step concerned.
    public var description: String {
        switch self {
        case .unreadableConfig(let path, let reason): "cannot read training config \(path): \(reason)"
        case .unknownConfigKey(let key): "training config: unknown key \"\(key)\""
        case .invalidConfig(let key, let value, let reason): "training config \"\(key)\": \(value) is invalid: \(reason)"
        case .modelConfig(let error): "training config \"model\": \(error)"
        case .scheduler(let error): "training config: \(error)"
        case .noShards(let folder): "no shard-*.safetensors files in \(folder)"
        case .shard(let path, let error): "\(path): \(error)"
        case .imageShapeMismatch(let path, let found, let expected):
            "\(path): images are \(found) (C, H, W), the model needs \(expected)"
        case .duplicateExampleID(let id, let path): "\(path): example id \(id) also appears in an earlier shard"
        case .runAlreadyStarted(let folder):
            "\(folder) already holds checkpoints; pass --resume to continue that run, or choose another folder"
        case .resumeMismatch(let checkpoint, let reason): "cannot resume from \(checkpoint): \(reason)"
        case .checkpoint(let error): "\(error)"
        case .nonFiniteLoss(let step): "the loss is not finite at step \(step); lower the learning rate"
        }
    }
}

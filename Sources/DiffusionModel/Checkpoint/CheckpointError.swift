import SafeTensors

/// Why a checkpoint folder cannot be read or written.
public enum CheckpointError: Error, Equatable, CustomStringConvertible {
    /// The path does not name a folder.
    case notAFolder(path: String)
    /// A file or subfolder every checkpoint holds is absent.
    case missingFile(path: String)
    /// The UNet subfolder cannot be loaded or saved.
    case model(UNet2DModelError)
    /// `scheduler_config.json` is not valid JSON of the expected shape.
    case malformedSchedulerConfig(path: String, reason: String)
    /// `scheduler_config.json` asks for something the scheduler refuses.
    case scheduler(path: String, DDPMSchedulerError)
    /// The optimiser state file is unreadable or does not fit the model.
    case optimizerState(path: String, reason: String)
    /// The two UNet folders of a checkpoint describe different architectures.
    case averagedModelDiffers(path: String)
    /// A checkpoint for this step already exists; checkpoints are never overwritten.
    case alreadyExists(path: String)
    /// A file-system operation failed.
    case io(operation: String, path: String, reason: String)

    /// A readable explanation naming the file and the cause.
    public var description: String {
        switch self {
        case .notAFolder(let path): "\(path) is not a checkpoint folder"
        case .missingFile(let path): "checkpoint is incomplete: \(path) is missing"
        case .model(let error): "checkpoint UNet: \(error)"
        case .malformedSchedulerConfig(let path, let reason): "\(path): \(reason)"
        case .scheduler(let path, let error): "\(path): \(error)"
        case .optimizerState(let path, let reason): "optimiser state \(path): \(reason)"
        case .averagedModelDiffers(let path): "\(path): the averaged UNet's config differs from the UNet's"
        case .alreadyExists(let path): "\(path) already exists; checkpoints are never overwritten"
        case .io(let operation, let path, let reason): "cannot \(operation) \(path): \(reason)"
        }
    }
}

import SafeTensors

/// Why a ``UNet2DModel`` cannot be built, loaded or saved.
public enum UNet2DModelError: Error, Equatable, CustomStringConvertible {
    /// The parameters given do not have the keys and shapes the config implies.
    case parameterMismatch(ParameterMismatch)
    /// A file the UNet folder must hold does not exist.
    case missingFile(path: String)
    /// A file exists but cannot be read.
    case unreadableFile(path: String, reason: String)
    /// `config.json` is malformed or describes an unsupported model.
    case invalidConfig(path: String, UNet2DConfigError)
    /// The weights file is not a valid safetensors file of floating-point tensors.
    case invalidWeights(path: String, SafeTensorsError)
    /// The weights file's keys or shapes do not match `config.json`.
    case weightsDoNotMatchConfig(path: String, ParameterMismatch)
    /// Weight tensors hold NaN or infinite values.
    case nonFiniteWeights(path: String, names: [String])
    /// Writing the folder failed.
    case writeFailed(path: String, reason: String)

    /// A readable explanation naming the file and the cause.
    public var description: String {
        switch self {
        case .parameterMismatch(let mismatch):
            "parameters do not match the UNet config: \(mismatch)"
        case .missingFile(let path):
            "missing file \(path)"
        case .unreadableFile(let path, let reason):
            "cannot read \(path): \(reason)"
        case .invalidConfig(let path, let error):
            "\(path): \(error)"
        case .invalidWeights(let path, let error):
            "\(path): \(error)"
        case .weightsDoNotMatchConfig(let path, let mismatch):
            "\(path) does not match config.json: \(mismatch)"
        case .nonFiniteWeights(let path, let names):
            "\(path) holds NaN or infinite values in \(names.count) tensors: "
                + names.prefix(ParameterMismatch.listLimit).joined(separator: ", ")
        case .writeFailed(let path, let reason):
            "cannot write \(path): \(reason)"
        }
    }
}

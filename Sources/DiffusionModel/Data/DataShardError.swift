import SafeTensors

/// Why a data shard cannot be read, built or written.
public enum DataShardError: Error, Equatable, CustomStringConvertible {
    /// The safetensors container itself is unreadable or unwritable.
    case file(SafeTensorsError)
    /// A required tensor is absent.
    case missingTensor(String)
    /// A tensor has the wrong number of dimensions.
    case wrongRank(tensor: String, expected: Int, shape: [Int])
    /// A tensor is stored with a dtype shards do not use for it.
    case wrongDType(tensor: String, dtype: DType, expected: String)
    /// A per-example tensor's length differs from the number of images.
    case countMismatch(tensor: String, count: Int, images: Int)
    /// Two examples share an id.
    case duplicateID(Int64)
    /// A float image element is not finite or lies outside [-1, 1].
    case imageValueOutOfRange(index: Int, value: Float)
    /// A metadata entry is not a JSON object mapping integer ids to names.
    case badMetadata(key: String, reason: String)

    /// A readable explanation of the problem, naming the tensor or file concerned.
    public var description: String {
        switch self {
        case .file(let error):
            "data shard file: \(error)"
        case .missingTensor(let name):
            "data shard has no \"\(name)\" tensor"
        case .wrongRank(let tensor, let expected, let shape):
            "data shard tensor \"\(tensor)\" must have \(expected) dimensions, has shape \(shape)"
        case .wrongDType(let tensor, let dtype, let expected):
            "data shard tensor \"\(tensor)\" is \(dtype.rawValue), expected \(expected)"
        case .countMismatch(let tensor, let count, let images):
            "data shard tensor \"\(tensor)\" has \(count) entries for \(images) images"
        case .duplicateID(let id):
            "data shard contains id \(id) more than once"
        case .imageValueOutOfRange(let index, let value):
            "data shard image element \(index) is \(value), outside [-1, 1]"
        case .badMetadata(let key, let reason):
            "data shard metadata \"\(key)\": \(reason)"
        }
    }
}

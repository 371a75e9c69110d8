/// Everything that can be wrong with a safetensors file or with a request made of one.
///
/// Reading validates the whole header up front (the rules of the reference implementation:
/// every tensor's bytes lie inside the data section, match its dtype and shape, and the tensors
/// tile the data section exactly, without overlaps or holes), so a file that opens can be read
/// without further bounds checks.
public enum SafeTensorsError: Error, Equatable, CustomStringConvertible {
    /// The file cannot even hold the 8-byte header length.
    case fileTooShort(byteCount: Int)
    /// The header length exceeds the limit this reader accepts.
    case headerTooLarge(declaredLength: UInt64, limit: Int)
    /// The header length points past the end of the file.
    case headerBeyondFile(declaredLength: UInt64, availableBytes: Int)
    /// The header bytes are not valid UTF-8.
    case headerNotUTF8
    /// The header is not well-formed JSON.
    case invalidJSON(reason: String, byteOffset: Int)
    /// The header's JSON is not an object.
    case headerNotObject(found: String)
    /// A tensor name (or `__metadata__`) appears twice in the header.
    case duplicateName(String)
    /// `__metadata__` is not an object.
    case metadataNotObject(found: String)
    /// A `__metadata__` value is not a string.
    case metadataValueNotString(key: String, found: String)
    /// A tensor's description is not an object or lacks a required field.
    case invalidTensorInfo(tensor: String, reason: String)
    /// A tensor declares a dtype this reader does not know.
    case unknownDType(tensor: String, dtype: String)
    /// A tensor's shape is not a list of non-negative integers, or its element count overflows.
    case invalidShape(tensor: String, reason: String)
    /// A tensor's `data_offsets` is not a pair of non-negative integers.
    case invalidOffsets(tensor: String, reason: String)
    /// A tensor's end offset is before its begin offset.
    case offsetsReversed(tensor: String, begin: Int, end: Int)
    /// A tensor's bytes extend past the end of the data section.
    case offsetsBeyondData(tensor: String, end: Int, dataLength: Int)
    /// A tensor's byte range does not have the size its dtype and shape require.
    case byteSizeMismatch(tensor: String, expected: Int, actual: Int)
    /// Two tensors' byte ranges overlap.
    case overlappingTensors(String, String)
    /// Bytes of the data section belong to no tensor (a hole before `tensor`, or at the end when
    /// `tensor` is nil).
    case dataGap(before: String?, start: Int, end: Int)
    /// No tensor of that name is in the file.
    case tensorNotFound(String)
    /// The tensor's dtype cannot be read as the requested element type.
    case dtypeMismatch(tensor: String, dtype: DType, requested: String)
    /// An element does not fit in the requested element type.
    case valueOutOfRange(tensor: String, index: Int)
    /// Reading or writing the file failed.
    case io(operation: String, path: String, reason: String)

    /// A readable explanation of the problem, naming the tensor or file concerned.
    public var description: String {
        switch self {
        case .fileTooShort(let count):
            "safetensors file is \(count) bytes long, shorter than its 8-byte header length"
        case .headerTooLarge(let declared, let limit):
            "safetensors header declares \(declared) bytes, more than the limit of \(limit)"
        case .headerBeyondFile(let declared, let available):
            "safetensors header declares \(declared) bytes but only \(available) follow the length"
        case .headerNotUTF8:
            "safetensors header is not valid UTF-8"
        case .invalidJSON(let reason, let offset):
            "safetensors header is not valid JSON: \(reason) at header byte \(offset)"
        case .headerNotObject(let found):
            "safetensors header must be a JSON object, found \(found)"
        case .duplicateName(let name):
            "safetensors header names \"\(name)\" more than once"
        case .metadataNotObject(let found):
            "safetensors __metadata__ must be an object of strings, found \(found)"
        case .metadataValueNotString(let key, let found):
            "safetensors __metadata__ value for \"\(key)\" must be a string, found \(found)"
        case .invalidTensorInfo(let tensor, let reason):
            "tensor \"\(tensor)\": \(reason)"
        case .unknownDType(let tensor, let dtype):
            "tensor \"\(tensor)\": unknown dtype \"\(dtype)\""
        case .invalidShape(let tensor, let reason):
            "tensor \"\(tensor)\": invalid shape: \(reason)"
        case .invalidOffsets(let tensor, let reason):
            "tensor \"\(tensor)\": invalid data_offsets: \(reason)"
        case .offsetsReversed(let tensor, let begin, let end):
            "tensor \"\(tensor)\": data_offsets end \(end) is before begin \(begin)"
        case .offsetsBeyondData(let tensor, let end, let length):
            "tensor \"\(tensor)\": data ends at byte \(end) but the data section holds \(length) bytes"
        case .byteSizeMismatch(let tensor, let expected, let actual):
            "tensor \"\(tensor)\": dtype and shape need \(expected) bytes but data_offsets span \(actual)"
        case .overlappingTensors(let first, let second):
            "tensors \"\(first)\" and \"\(second)\" overlap in the data section"
        case .dataGap(let tensor?, let start, let end):
            "data bytes \(start)..<\(end) before tensor \"\(tensor)\" belong to no tensor"
        case .dataGap(nil, let start, let end):
            "data bytes \(start)..<\(end) after the last tensor belong to no tensor"
        case .tensorNotFound(let name):
            "no tensor named \"\(name)\" in the file"
        case .dtypeMismatch(let tensor, let dtype, let requested):
            "tensor \"\(tensor)\" has dtype \(dtype.rawValue), which cannot be read as \(requested)"
        case .valueOutOfRange(let tensor, let index):
            "tensor \"\(tensor)\": element \(index) does not fit in the requested type"
        case .io(let operation, let path, let reason):
            "cannot \(operation) \(path): \(reason)"
        }
    }
}

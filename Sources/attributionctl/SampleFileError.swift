import DiffusionModel

/// Why sample files could not be turned into images to send.
enum SampleFileError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read or decoded.
    case unreadable(path: String, reason: String)
    /// A safetensors file without an `images` or `samples` tensor.
    case noImages(path: String, tensors: [String])
    /// The tensor is not `[N, C, H, W]` or `[C, H, W]` of positive sizes.
    case badShape(path: String, shape: [Int])
    /// The tensor's element type is not float or uint8.
    case unsupportedType(path: String, dtype: String)
    /// A value is not finite or lies outside [-1, 1].
    case valueOutOfRange(path: String, index: Int, value: Float)
    /// Converting between channel counts needs 1 or 3 channels.
    case cannotConvertChannels(path: String, from: Int, to: Int)
    /// No file was given.
    case noSamples
    /// Files whose images differ in shape.
    case mixedShapes(first: String, firstShape: [Int], other: String, otherShape: [Int])

    /// The same failure of the shared safetensors image reader.
    init(_ error: SampleImagesFileError) {
        switch error {
        case .unreadable(let path, let reason): self = .unreadable(path: path, reason: reason)
        case .noImages(let path, let tensors): self = .noImages(path: path, tensors: tensors)
        case .badShape(let path, let shape): self = .badShape(path: path, shape: shape)
        case .unsupportedType(let path, let dtype): self = .unsupportedType(path: path, dtype: dtype)
        case .valueOutOfRange(let path, let index, let value): self = .valueOutOfRange(path: path, index: index, value: value)
        }
    }

    var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
        case .noImages(let path, let tensors):
            "\(path): no \"images\" or \"samples\" tensor (it has \(tensors.isEmpty ? "none" : tensors.joined(separator: ", ")))"
        case .badShape(let path, let shape): "\(path): images of shape \(shape); expected [N, C, H, W] or [C, H, W]"
        case .unsupportedType(let path, let dtype): "\(path): images of type \(dtype); expected F32, F16, BF16, F64 or U8"
        case .valueOutOfRange(let path, let index, let value): "\(path): value \(value) at index \(index) is not a pixel in [-1, 1]"
        case .cannotConvertChannels(let path, let from, let to): "\(path): cannot convert \(from) channels to \(to)"
        case .noSamples: "no samples given"
        case .mixedShapes(let first, let firstShape, let other, let otherShape):
            "\(first) holds images of shape \(firstShape) but \(other) holds \(otherShape); send them separately"
        }
    }
}

/// Why gradients cannot be computed for the given settings or images.
public enum GradientError: Error, CustomStringConvertible, Equatable {
    /// A setting is out of range.
    case invalidSetting(name: String, value: String, reason: String)
    /// The images are not `[N, C, H, W]` with the model's channels and a size its blocks divide.
    case imageShape(shape: [Int], reason: String)
    /// The number of ids or keys differs from the number of images.
    case keyCount(keys: Int, images: Int)

    /// A sentence naming the problem.
    public var description: String {
        switch self {
        case .invalidSetting(let name, let value, let reason):
            "gradient setting \(name) = \(value) is invalid: \(reason)"
        case .imageShape(let shape, let reason):
            "images of shape \(shape) cannot be used: \(reason)"
        case .keyCount(let keys, let images):
            "\(keys) example ids or keys for \(images) images"
        }
    }
}

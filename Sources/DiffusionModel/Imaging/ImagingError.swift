/// Why an image could not be written.
public enum ImagingError: Error, Equatable, CustomStringConvertible {
    /// The file system refused the write.
    case cannotWrite(path: String, reason: String)

    /// A readable explanation of the problem, naming the tensor or file concerned.
    public var description: String {
        switch self {
        case .cannotWrite(let path, let reason): "cannot write image \(path): \(reason)"
        }
    }
}

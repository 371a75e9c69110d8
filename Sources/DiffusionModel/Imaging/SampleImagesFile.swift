import Foundation
import Numerics
import SafeTensors

/// Images to attribute stored in a safetensors file: its `images` tensor (a data shard, or what
/// `attributiond sample --samples-out` writes) or its `samples` tensor, `[N, C, H, W]` or
/// `[C, H, W]`, float in [-1, 1] or uint8 in 0...255 (mapped to `x / 127.5 − 1`, as data shards
/// are). The one reader the daemon, the offline commands and the client share.
public enum SampleImagesFile {
    /// The file's images as `[N, C, H, W]` in [-1, 1].
    ///
    /// - Throws: ``SampleImagesFileError`` naming the file and what is wrong with it.
    public static func read(contentsOf url: URL) throws(SampleImagesFileError) -> Tensor {
        let path = url.path
        let file: SafeTensorsFile
        do { file = try SafeTensorsFile(contentsOf: url) } catch {
            guard case .io(_, _, let reason) = error else { throw .unreadable(path: path, reason: "\(error)") }
            throw .unreadable(path: path, reason: reason)
        }
        guard let name = ["images", "samples"].first(where: { file.entry($0) != nil }), let entry = file.entry(name) else {
            throw .noImages(path: path, tensors: file.names)
        }
        let shape = entry.shape.count == 3 ? [1] + entry.shape : entry.shape
        guard shape.count == 4, shape.allSatisfy({ $0 > 0 }) else { throw .badShape(path: path, shape: entry.shape) }
        guard [.uint8, .float32, .float16, .bfloat16, .float64].contains(entry.dtype) else {
            throw .unsupportedType(path: path, dtype: entry.dtype.rawValue)
        }
        var values: [Float]
        do {
            values = entry.dtype == .uint8 ? try file.uint8s(name).map { Float($0) / 127.5 - 1 } : try file.floats(name)
        } catch {
            throw .unreadable(path: path, reason: "\(error)")
        }
        // Generated samples may overshoot [-1, 1] by rounding; anything further is not a pixel.
        if let bad = values.firstIndex(where: { !$0.isFinite || $0 < -1.0001 || $0 > 1.0001 }) {
            throw .valueOutOfRange(path: path, index: bad, value: values[bad])
        }
        for index in values.indices { values[index] = min(max(values[index], -1), 1) }
        return Tensor(shape: shape, scalars: values)
    }
}

/// Why a safetensors file holds no usable images.
public enum SampleImagesFileError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read or decoded.
    case unreadable(path: String, reason: String)
    /// The file has neither an `images` nor a `samples` tensor.
    case noImages(path: String, tensors: [String])
    /// The tensor is not `[N, C, H, W]` or `[C, H, W]` of positive sizes.
    case badShape(path: String, shape: [Int])
    /// The tensor's element type is not float or uint8.
    case unsupportedType(path: String, dtype: String)
    /// A value is not finite or lies outside [-1, 1].
    case valueOutOfRange(path: String, index: Int, value: Float)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
        case .noImages(let path, let tensors):
            "\(path): no \"images\" or \"samples\" tensor (it has \(tensors.isEmpty ? "none" : tensors.joined(separator: ", ")))"
        case .badShape(let path, let shape): "\(path): images of shape \(shape); expected [N, C, H, W] or [C, H, W]"
        case .unsupportedType(let path, let dtype): "\(path): images of type \(dtype); expected F32, F16, BF16, F64 or U8"
        case .valueOutOfRange(let path, let index, let value): "\(path): value \(value) at index \(index) is not a pixel in [-1, 1]"
        }
    }
}

import DiffusionModel
import Foundation
import Numerics
import SafeTensors

/// Reads generated samples to attribute from files.
public enum QuerySamples {
    /// The images of a file: a PNG (one RGB image, `[1, 3, H, W]`), or a safetensors file's
    /// `images` tensor (a data shard, or what `attributiond sample --samples-out` writes) or
    /// `samples`, `[N, C, H, W]` or `[C, H, W]`, float in [-1, 1] or uint8 in 0...255.
    public static func load(contentsOf url: URL) throws -> Tensor {
        if url.pathExtension.lowercased() == "png" { return try PNGReader.readTensor(contentsOf: url) }
        let file = try SafeTensorsFile(contentsOf: url)
        guard let name = ["images", "samples"].first(where: { file.entry($0) != nil }), let entry = file.entry(name) else {
            throw QuerySamplesError.noImages(file: url.path, tensors: file.names)
        }
        let shape = entry.shape.count == 3 ? [1] + entry.shape : entry.shape
        guard shape.count == 4, shape.allSatisfy({ $0 > 0 }) else { throw QuerySamplesError.badShape(file: url.path, shape: entry.shape) }
        let values: [Float] = entry.dtype == .uint8 ? try file.uint8s(name).map { Float($0) / 127.5 - 1 } : try file.floats(name)
        if let bad = values.firstIndex(where: { !$0.isFinite || $0 < -1.0001 || $0 > 1.0001 }) {
            throw QuerySamplesError.valueOutOfRange(file: url.path, index: bad, value: values[bad])
        }
        return Tensor(shape: shape, scalars: values.map { min(max($0, -1), 1) })
    }

    /// Concatenates samples of equal image shape along the first dimension.
    public static func concatenate(_ parts: [Tensor]) throws -> Tensor {
        guard let first = parts.first else { throw QuerySamplesError.noSamples }
        let imageShape = Array(first.shape.dropFirst())
        for part in parts where Array(part.shape.dropFirst()) != imageShape {
            throw QuerySamplesError.mixedShapes(imageShape, Array(part.shape.dropFirst()))
        }
        return Tensor(shape: [parts.reduce(0) { $0 + $1.shape[0] }] + imageShape, scalars: parts.flatMap(\.scalars))
    }
}

/// Why samples could not be read.
public enum QuerySamplesError: Error, CustomStringConvertible {
    /// The file has neither an `images` nor a `samples` tensor.
    case noImages(file: String, tensors: [String])
    /// The tensor is not `[N, C, H, W]` or `[C, H, W]`.
    case badShape(file: String, shape: [Int])
    /// A value is NaN, infinite, or outside [-1, 1].
    case valueOutOfRange(file: String, index: Int, value: Float)
    /// No sample was given.
    case noSamples
    /// Samples of different image shapes.
    case mixedShapes([Int], [Int])

    public var description: String {
        switch self {
        case .noImages(let file, let tensors): "\(file): no \"images\" or \"samples\" tensor (has \(tensors.joined(separator: ", ")))"
        case .badShape(let file, let shape): "\(file): images of shape \(shape), expected [N, C, H, W] or [C, H, W]"
        case .valueOutOfRange(let file, let index, let value): "\(file): value \(value) at \(index) is not a pixel in [-1, 1]"
        case .noSamples: "no samples given"
        case .mixedShapes(let first, let other): "samples differ in shape: \(first) and \(other)"
        }
    }
}

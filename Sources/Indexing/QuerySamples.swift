import DiffusionModel
import Foundation
import Numerics

/// Reads generated samples to attribute from files.
public enum QuerySamples {
    /// The images of a file: a PNG (one RGB image, `[1, 3, H, W]`), or a safetensors file's
    /// `images` tensor (a data shard, or what `attributiond sample --samples-out` writes) or
    /// `samples`, `[N, C, H, W]` or `[C, H, W]`, float in [-1, 1] or uint8 in 0...255.
    public static func load(contentsOf url: URL) throws -> Tensor {
        if url.pathExtension.lowercased() == "png" { return try PNGReader.readTensor(contentsOf: url) }
        do { return try SampleImagesFile.read(contentsOf: url) } catch { throw QuerySamplesError.unusableFile(error) }
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
    /// A safetensors file holds no usable images.
    case unusableFile(SampleImagesFileError)
    /// No sample was given.
    case noSamples
    /// Samples of different image shapes.
    case mixedShapes([Int], [Int])

    public var description: String {
        switch self {
        case .unusableFile(let error): "\(error)"
        case .noSamples: "no samples given"
        case .mixedShapes(let first, let other): "samples differ in shape: \(first) and \(other)"
        }
    }
}

import AttributionProtocol

/// Images to attribute: values in [-1, 1], channels first, one label per image naming where it
/// came from.
struct SampleImages: Equatable {
    /// `count * channels * height * width` values, row-major.
    var values: [Float]
    /// `[count, channels, height, width]`.
    var shape: [Int]
    /// One per image: the file, and the index within it for files of several.
    var labels: [String]

    /// How many images.
    var count: Int { shape[0] }

    /// The values of image `index`, `[channels, height, width]`.
    func image(_ index: Int) -> [Float] {
        let size = shape[1] * shape[2] * shape[3]
        return Array(values[(index * size)..<((index + 1) * size)])
    }

    /// The images as the protocol sends them inline.
    var tensor: SampleTensor { SampleTensor(values: values, shape: shape) }

    /// The images of several files, in order, which must share one image shape.
    static func concatenate(_ parts: [SampleImages]) throws(SampleFileError) -> SampleImages {
        guard let first = parts.first else { throw .noSamples }
        let imageShape = Array(first.shape.dropFirst())
        var joined = SampleImages(values: [], shape: [0] + imageShape, labels: [])
        for part in parts {
            let partShape = Array(part.shape.dropFirst())
            guard partShape == imageShape else {
                throw .mixedShapes(first: first.labels.first ?? "", firstShape: imageShape, other: part.labels.first ?? "", otherShape: partShape)
            }
            joined.values += part.values
            joined.shape[0] += part.count
            joined.labels += part.labels
        }
        return joined
    }
}

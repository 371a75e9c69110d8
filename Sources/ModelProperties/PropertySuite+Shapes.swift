import DiffusionModel

extension PropertySuite {
    /// The `[C, size, size]` of the samples to generate for `model`, or nil when no property reads
    /// samples, after checking every property's image shape against the model.
    ///
    /// The size is the one the sample-reading properties declare (they must agree, and samples
    /// are square), else the model config's `sample_size`.
    func generationShape(model: UNet2DModel) throws(PropertyError) -> [Int]? {
        for property in properties {
            if let shape = property.imageShape { try Self.check(shape, of: property.name, fitsModel: model.config) }
        }
        let readers = properties.filter(\.usesGeneratedSamples)
        guard !readers.isEmpty else { return nil }
        var declared: [Int]?
        for property in readers {
            guard let shape = property.imageShape else { continue }
            let expected = declared ?? [shape[0], shape[1], shape[1]]
            guard shape == expected else { throw .imageShapeMismatch(property: property.name, found: shape, expected: expected) }
            declared = expected
        }
        if let declared { return declared }
        guard let size = model.config.sampleSize else { throw .unknownImageSize }
        return [model.config.inChannels, size, size]
    }

    /// Throws unless images of `shape` have the model's input channels and a size the model's
    /// down-sampling divides.
    private static func check(_ shape: [Int], of property: String, fitsModel config: UNet2DConfig) throws(PropertyError) {
        guard shape.count == 3 else {
            throw .invalidSetting(name: "\(property) image shape", value: "\(shape)", reason: "must be [C, H, W]")
        }
        let multiple = config.spatialSizeMultiple
        let fitted = [config.inChannels] + shape.dropFirst().map { ($0 + multiple - 1) / multiple * multiple }
        guard shape == fitted else { throw .imageShapeMismatch(property: property, found: shape, expected: fitted) }
    }
}

import DiffusionModel

/// Why a model property cannot be set up or measured.
public enum PropertyError: Error, Equatable, CustomStringConvertible {
    /// A suite was given no property to measure.
    case noProperties
    /// Two properties of a suite share a name, so their values could not be told apart.
    case duplicatePropertyName(String)
    /// A setting (of generation, a classifier, a feature map or a property) holds an unusable value.
    case invalidSetting(name: String, value: String, reason: String)
    /// The noise schedule cannot be used for generation.
    case scheduler(DDPMSchedulerError)
    /// A property that needs held-out images was given none.
    case emptyHeldOutSet(property: String)
    /// A statistic needs more images than it was given.
    case tooFewImages(property: String, needed: Int, found: Int)
    /// Images do not have the `[channels, height, width]` a property or the model needs.
    case imageShapeMismatch(property: String, found: [Int], expected: [Int])
    /// Images hold NaN or infinite pixels.
    case nonFiniteImages(property: String)
    /// The labels a classifier is trained on are unusable.
    case invalidTrainingData(reason: String)
    /// No property fixes the image size and the model's config has no `sample_size`.
    case unknownImageSize
    /// Sampling from the model failed.
    case generationFailed(reason: String)
    /// A property's value is NaN or infinite (the model has likely diverged).
    case nonFiniteProperty(name: String, value: Double)
    /// A property's gradient-target weights are not all finite.
    case nonFiniteGradientWeights(name: String)

    /// A readable explanation naming the property, setting or cause concerned.
    public var description: String {
        switch self {
        case .noProperties: "no model property to measure"
        case .duplicatePropertyName(let name): "the property \"\(name)\" appears more than once"
        case .invalidSetting(let name, let value, let reason): "setting \"\(name)\" = \(value) is invalid: \(reason)"
        case .scheduler(let error): "noise schedule for generation: \(error)"
        case .emptyHeldOutSet(let property): "\(property): the held-out set has no images"
        case .tooFewImages(let property, let needed, let found): "\(property): needs at least \(needed) images, got \(found)"
        case .imageShapeMismatch(let property, let found, let expected):
            "\(property): images are \(found) (C, H, W), expected \(expected)"
        case .nonFiniteImages(let property): "\(property): images hold NaN or infinite pixels"
        case .invalidTrainingData(let reason): "classifier training data: \(reason)"
        case .unknownImageSize: "no property fixes the image size and the model config has no sample_size"
        case .generationFailed(let reason): "generating samples failed: \(reason)"
        case .nonFiniteProperty(let name, let value): "property \"\(name)\" is \(value); the model has likely diverged"
        case .nonFiniteGradientWeights(let name): "property \"\(name)\": gradient-target weights are not finite"
        }
    }
}

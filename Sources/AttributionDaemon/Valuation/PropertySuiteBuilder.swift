import DiffusionModel
import ModelProperties
import Numerics

/// Builds a refresh's property suite from the run's data and the `[shapley]` settings, and says
/// what each property's values depend on (for the game fingerprints).
enum PropertySuiteBuilder {
    /// Features of the kernel distance's fixed random feature map.
    static let featureDimension = 512
    /// Features of the class-diversity classifier's own random feature map: on the glyph data a
    /// softmax regression reaches about 0.90 held-out accuracy on 512 random features against
    /// about 0.77 on raw pixels, for about the same fitting time.
    static let classifierFeatureDimension = 512
    /// Images generated per batch (bounds memory; the samples change with it only by rounding).
    static let generationBatchSize = 64

    /// The suite measuring `properties` (known names) on data `data`, generating with `scheduler`.
    static func build(properties: [String], data: ValuationData, scheduler: DDPMSchedulerConfig,
                      configuration: DaemonConfiguration.Shapley) throws(ShapleyRefreshError) -> PropertySuite {
        do {
            let built = try properties.map { (name) throws(ShapleyRefreshError) -> any ModelProperty in
                try property(named: name, data: data, scheduler: scheduler, configuration: configuration)
            }
            return try PropertySuite(properties: built, generation: generation(configuration), schedulerConfig: scheduler)
        } catch let error as ShapleyRefreshError {
            throw error
        } catch {
            throw .properties("\(error)")
        }
    }

    /// What property `name`'s values depend on besides the model and the training data.
    static func settings(of name: String, data: ValuationData, configuration: DaemonConfiguration.Shapley) -> String {
        let generation = "generation=\(configuration.generatedSamples)x\(configuration.samplingSteps)@\(configuration.seed)"
        switch name {
        case ShapleyPropertyName.heldOutLoss:
            return "\(data.heldOutFingerprint) draws=\(configuration.lossDraws) seed=\(configuration.seed)"
        case ShapleyPropertyName.classDiversity:
            return "\(generation) classifier=\(ClassifierSettings()) features=\(classifierFeatureDimension)@\(configuration.seed &+ 1)"
        default:
            return "\(generation) \(data.heldOutFingerprint) features=\(featureDimension)@\(configuration.seed)"
        }
    }

    private static func generation(_ configuration: DaemonConfiguration.Shapley) -> GenerationSettings {
        GenerationSettings(count: configuration.generatedSamples, steps: configuration.samplingSteps, seed: configuration.seed,
                           batchSize: min(generationBatchSize, configuration.generatedSamples))
    }

    private static func property(named name: String, data: ValuationData, scheduler: DDPMSchedulerConfig,
                                 configuration: DaemonConfiguration.Shapley) throws(ShapleyRefreshError) -> any ModelProperty {
        do {
            switch name {
            case ShapleyPropertyName.heldOutLoss:
                return try HeldOutDiffusionLoss(images: heldOut(data, for: name), schedulerConfig: scheduler,
                                                drawsPerImage: configuration.lossDraws, seed: configuration.seed)
            case ShapleyPropertyName.classDiversity:
                guard let labels = data.labels, let largest = labels.max(), labels.allSatisfy({ $0 >= 0 }) else {
                    throw ShapleyRefreshError.missingData(property: name, need: "class labels (0, 1, …) in every training shard")
                }
                let features = try FixedFeatureMap(inputShape: Array(data.images.shape.dropFirst()),
                                                   dimension: classifierFeatureDimension, seed: configuration.seed &+ 1)
                let classifier = try ImageClassifier.train(images: data.images, labels: labels.map { Int($0) },
                                                           classes: Int(largest) + 1, settings: ClassifierSettings(features: features))
                return ClassDiversity(classifier: classifier)
            default:
                let images = try heldOut(data, for: name)
                let features = try FixedFeatureMap(inputShape: Array(images.shape.dropFirst()), dimension: featureDimension,
                                                   seed: configuration.seed)
                return try KernelDistance(heldOut: images, featureMap: features)
            }
        } catch let error as ShapleyRefreshError {
            throw error
        } catch {
            throw .properties("\(name): \(error)")
        }
    }

    private static func heldOut(_ data: ValuationData, for property: String) throws(ShapleyRefreshError) -> Tensor {
        guard let images = data.heldOut else {
            throw .missingData(property: property, need: "held-out images: a heldout-*.safetensors shard in the run's data folder")
        }
        return images
    }
}

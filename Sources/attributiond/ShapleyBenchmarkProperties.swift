import DiffusionModel
import ModelProperties
import Numerics

/// The property suite every model of the benchmark is measured with: held-out loss, class
/// diversity of generated samples (classifier trained on the training labels) and kernel
/// distance to the held-out images.
enum ShapleyBenchmarkProperties {
    /// The suite, and the classifier's accuracy on the held-out images.
    static func suite(
        data: ShapleyBenchmarkData, settings: ShapleyBenchmarkConfig.PropertySettings, schedulerConfig: DDPMSchedulerConfig
    ) throws -> (suite: PropertySuite, classifierAccuracy: Double) {
        let heldOutLoss = try HeldOutDiffusionLoss(images: data.heldOut, schedulerConfig: schedulerConfig,
                                                   drawsPerImage: settings.lossDraws, seed: settings.seed)
        let classifier = try ImageClassifier.train(
            images: data.images, labels: data.labels, classes: data.classes,
            settings: ClassifierSettings(iterations: settings.classifierIterations, l2: settings.classifierL2))
        let features = try FixedFeatureMap(inputShape: Array(data.heldOut.shape.dropFirst()), dimension: settings.featureDimension,
                                           seed: settings.seed)
        let kernelDistance = try KernelDistance(heldOut: data.heldOut, featureMap: features)
        let generation = GenerationSettings(count: settings.generatedSamples, steps: settings.samplingSteps, seed: settings.seed,
                                            batchSize: min(64, settings.generatedSamples))
        let suite = try PropertySuite(properties: [heldOutLoss, ClassDiversity(classifier: classifier), kernelDistance],
                                      generation: generation, schedulerConfig: schedulerConfig)
        return (suite, classifier.accuracy(images: data.heldOut, labels: data.heldOutLabels))
    }
}

import Numerics

extension ImageClassifier {
    /// Trains a classifier on `images` `[N, C, H, W]` with `labels` in `0..<classes`.
    ///
    /// Features are standardised (mean 0, variance 1 over the training set), then the
    /// L2-regularised mean cross-entropy is minimised by full-batch Nesterov-accelerated gradient
    /// descent with step `1/L`, where `L = ½·max(λ_max(ZᵀZ/N), 1) + λ` bounds the curvature (the
    /// softmax Hessian is at most ½ in every direction; the 1 accounts for the biases), `λ_max`
    /// from power iteration. Every step is a fixed function of the data, so training is
    /// deterministic.
    public static func train(images: Tensor, labels: [Int], classes: Int, settings: ClassifierSettings = ClassifierSettings())
        throws(PropertyError) -> ImageClassifier {
        try settings.validate()
        try ImageChecks.validate(images, property: "classifier", minimum: 1, expected: settings.features?.inputShape, heldOut: false)
        guard classes >= 2 else { throw .invalidSetting(name: "classes", value: "\(classes)", reason: "at least 2 classes are needed") }
        guard labels.count == images.shape[0] else {
            throw .invalidTrainingData(reason: "\(labels.count) labels for \(images.shape[0]) images")
        }
        if let bad = labels.first(where: { !(0..<classes).contains($0) }) {
            throw .invalidTrainingData(reason: "label \(bad) lies outside 0..<\(classes)")
        }
        let inputShape = Array(images.shape.dropFirst())
        let standardised = StandardisedFeatures(Self.inputs(images, featureMap: settings.features))
        var fit = SoftmaxRegressionFit(features: standardised.values, labels: labels, classes: classes, l2: Float(settings.l2))
        fit.run(iterations: settings.iterations, tolerance: settings.tolerance)
        let (weights, bias) = standardised.fold(weights: fit.weights, bias: fit.bias, classes: classes)
        return ImageClassifier(classes: classes, inputShape: inputShape, featureMap: settings.features, weights: weights, bias: bias)
    }
}

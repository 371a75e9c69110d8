/// How an ``ImageClassifier`` is trained: full-batch Nesterov-accelerated gradient descent on the
/// L2-regularised cross-entropy of multinomial logistic regression, a deterministic procedure.
public struct ClassifierSettings: Sendable, Equatable {
    /// Most gradient steps.
    public var iterations: Int
    /// `λ` of the penalty `(λ/2)‖W‖²` on the weights of standardised features (not the biases).
    public var l2: Double
    /// Training stops early once the gradient's Euclidean norm falls below this (0: never).
    public var tolerance: Double
    /// Features the regression reads; nil reads the pixels themselves.
    public var features: FixedFeatureMap?

    /// Settings with the given values.
    public init(iterations: Int = 100, l2: Double = 1e-3, tolerance: Double = 1e-5, features: FixedFeatureMap? = nil) {
        self.iterations = iterations
        self.l2 = l2
        self.tolerance = tolerance
        self.features = features
    }

    /// Throws for fewer than one iteration or a negative or non-finite `l2` or `tolerance`.
    public func validate() throws(PropertyError) {
        guard iterations >= 1 else { throw .invalidSetting(name: "iterations", value: "\(iterations)", reason: "must be at least 1") }
        for (name, value) in [("l2", l2), ("tolerance", tolerance)] where !(value.isFinite && value >= 0) {
            throw .invalidSetting(name: name, value: "\(value)", reason: "must be finite and not negative")
        }
    }
}

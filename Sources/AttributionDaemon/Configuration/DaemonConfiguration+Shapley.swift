import AttributionProtocol

extension DaemonConfiguration {
    /// Shapley values of contributors for global properties of the model (`[shapley]`): the
    /// defaults of `shapley_refresh` and the settings of the coalition games.
    ///
    /// Changing a game setting (everything below `max_coalitions`) changes the games'
    /// fingerprints, so the next refresh starts new games and the old ones are deleted.
    public struct Shapley: Sendable, Equatable {
        /// Properties credited by a refresh that names none.
        public var properties: [String] = ShapleyPropertyName.all
        /// How coalition values are obtained by default.
        public var estimator: ShapleyEstimatorKind = .sparsifiedFineTuning
        /// How coalitions are chosen by default.
        public var sampling: ShapleySamplingKind = .auto
        /// A refresh stops once every contributor's standard error is at most this fraction of
        /// |F(all) − F(∅)|. In (0, 1].
        public var targetStandardError: Double = 0.05
        /// Coalitions one refresh may evaluate (reused ones are free). At least 1.
        public var maxCoalitions: Int = 128
        /// Fraction of the weights that magnitude pruning sets to zero. [0, 0.99].
        public var sparsity: Double = 0.7
        /// Fine-tuning steps of the pruned model on all data before any coalition.
        public var recoverySteps: Int = 100
        /// Fine-tuning steps of the pruned and recovered model on one coalition's data.
        public var coalitionSteps: Int = 20
        /// Minibatch size of every fine-tuning and retraining run.
        public var batchSize: Int = 32
        /// Peak learning rate of every fine-tuning and retraining run. In (0, 1].
        public var learningRate: Double = 1e-3
        /// Training steps of one coalition's model under the retraining estimator.
        public var retrainingSteps: Int = 300
        /// Samples generated per coalition model for the sample properties.
        public var generatedSamples: Int = 64
        /// Denoising steps per generated sample.
        public var samplingSteps: Int = 50
        /// Held-out images (the first ones of the held-out shards) the held-out loss and the
        /// kernel distance use.
        public var heldOutImages: Int = 256
        /// Noise draws per held-out image in the held-out loss.
        public var lossDraws: Int = 4
        /// Seed of training draws, generation noise, classifier, feature map and coalition sampling.
        public var seed: UInt64 = 0

        /// The defaults.
        public init() {}
    }
}

/// The properties the daemon can credit, by their names in requests and configuration.
public enum ShapleyPropertyName {
    /// Mean denoising loss on held-out images (lower is better).
    public static let heldOutLoss = "held_out_loss"
    /// Entropy of the mean predicted class distribution of generated samples (higher is better).
    public static let classDiversity = "class_diversity"
    /// Squared kernel distance between generated samples and held-out images (lower is better).
    public static let kernelDistance = "kernel_distance"
    /// Every known property, in canonical order.
    public static let all = [heldOutLoss, classDiversity, kernelDistance]

    /// `names` in canonical order, without repeats.
    static func canonical(_ names: [String]) -> [String] {
        all.filter(names.contains)
    }
}

import DiffusionModel

extension CoalitionTrainingRecipe: Codable {
    enum CodingKeys: String, CodingKey {
        case steps, batchSize = "batch_size", learningRate = "learning_rate", warmupSteps = "warmup_steps"
        case maxGradNorm = "max_grad_norm", adamBeta1 = "adam_beta1", adamBeta2 = "adam_beta2"
        case adamWeightDecay = "adam_weight_decay", adamEpsilon = "adam_epsilon", seed
    }

    /// Reads snake_case keys; `steps`, `batch_size` and `learning_rate` are required, the others
    /// default as in ``init(steps:batchSize:learningRate:warmupSteps:maxGradNorm:adam:seed:)``.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            steps: try c.decode(Int.self, forKey: .steps), batchSize: try c.decode(Int.self, forKey: .batchSize),
            learningRate: try c.decode(Double.self, forKey: .learningRate))
        warmupSteps = try c.decodeIfPresent(Int.self, forKey: .warmupSteps) ?? warmupSteps
        maxGradNorm = try c.decodeIfPresent(Double.self, forKey: .maxGradNorm) ?? maxGradNorm
        adam.beta1 = try c.decodeIfPresent(Double.self, forKey: .adamBeta1) ?? adam.beta1
        adam.beta2 = try c.decodeIfPresent(Double.self, forKey: .adamBeta2) ?? adam.beta2
        adam.weightDecay = try c.decodeIfPresent(Double.self, forKey: .adamWeightDecay) ?? adam.weightDecay
        adam.epsilon = try c.decodeIfPresent(Double.self, forKey: .adamEpsilon) ?? adam.epsilon
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? seed
    }

    /// Writes every setting under its snake_case key.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(steps, forKey: .steps)
        try c.encode(batchSize, forKey: .batchSize)
        try c.encode(learningRate, forKey: .learningRate)
        try c.encode(warmupSteps, forKey: .warmupSteps)
        try c.encode(maxGradNorm, forKey: .maxGradNorm)
        try c.encode(adam.beta1, forKey: .adamBeta1)
        try c.encode(adam.beta2, forKey: .adamBeta2)
        try c.encode(adam.weightDecay, forKey: .adamWeightDecay)
        try c.encode(adam.epsilon, forKey: .adamEpsilon)
        try c.encode(seed, forKey: .seed)
    }
}

/// How a ``PropertySuite`` generates the samples its properties read.
///
/// Every model is sampled from the same seed, so image `j` of every coalition's model starts from
/// the same noise and takes the same step noise: common random numbers make the difference between
/// two coalition values reflect the models, not the draws.
public struct GenerationSettings: Sendable, Equatable {
    /// Number of samples generated per measurement (at least 2: unbiased pair statistics need two).
    public var count: Int
    /// Inference steps of the ancestral sampler.
    public var steps: Int
    /// Seed of the sampler's noise.
    public var seed: UInt64
    /// Images passed through the model at once: bounds memory; changes the samples only by rounding.
    public var batchSize: Int

    /// Settings with the given values.
    public init(count: Int = 256, steps: Int = 50, seed: UInt64 = 0, batchSize: Int = 64) {
        self.count = count
        self.steps = steps
        self.seed = seed
        self.batchSize = batchSize
    }

    /// Throws for a count below 2, or a step count or batch size below 1.
    public func validate() throws(PropertyError) {
        if count < 2 { throw .invalidSetting(name: "count", value: "\(count)", reason: "at least 2 samples are needed") }
        for (name, value) in [("steps", steps), ("batchSize", batchSize)] where value < 1 {
            throw .invalidSetting(name: name, value: "\(value)", reason: "must be at least 1")
        }
    }
}

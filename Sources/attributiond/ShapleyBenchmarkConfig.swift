import Attribution
import ContributorValuation
import DiffusionModel
import Foundation

/// The settings of `attributiond benchmark-shapley` (`Config/shapley-benchmark.json`).
struct ShapleyBenchmarkConfig: Sendable, Codable {
    /// The synthetic glyph data: training shards and one held-out shard of the same size.
    struct DataSettings: Sendable, Codable {
        /// Contributors (players); each supplies a different mix of shapes and colours.
        var contributors: Int
        /// Image side in pixels (the model's `sample_size`).
        var imageSize: Int
        /// Training shards of `examples_per_shard` examples each.
        var trainingShards: Int
        /// Examples per shard, also the size of the one held-out shard.
        var examplesPerShard: Int
        /// Seed of the glyphs.
        var seed: UInt64
        enum CodingKeys: String, CodingKey {
            case contributors, imageSize = "image_size", trainingShards = "training_shards"
            case examplesPerShard = "examples_per_shard", seed
        }
    }

    /// How every model is measured: generation, held-out loss, classifier and kernel features.
    struct PropertySettings: Sendable, Codable {
        /// Samples generated per model for class diversity and kernel distance.
        var generatedSamples: Int
        /// Denoising steps per generated sample.
        var samplingSteps: Int
        /// Held-out images (the first of the held-out shard) for held-out loss and kernel distance.
        var heldOutImages: Int
        /// (t, ε) draws per held-out image in the held-out loss.
        var lossDraws: Int
        /// Features of the kernel distance's fixed random feature map.
        var featureDimension: Int
        /// Gradient steps of the class-diversity classifier (logistic regression on pixels).
        var classifierIterations: Int
        /// Its L2 penalty.
        var classifierL2: Double
        /// Seed of generation noise, loss draws and the feature map.
        var seed: UInt64
        enum CodingKeys: String, CodingKey {
            case generatedSamples = "generated_samples", samplingSteps = "sampling_steps", heldOutImages = "held_out_images"
            case lossDraws = "loss_draws", featureDimension = "feature_dimension", classifierIterations = "classifier_iterations"
            case classifierL2 = "classifier_l2", seed
        }
    }

    /// How the full model is indexed and queried for influence-based values.
    struct InfluenceSettings: Sendable, Codable {
        /// Projected dimensions per side of every layer (0: no projection).
        var projection: Int
        /// (t, ε) draws averaged into each training example's gradient.
        var drawsPerExample: Int
        /// (t, ε) draws averaged into each gradient-target image's query gradient.
        var queryDraws: Int
        /// The curvature that preconditions queries.
        var curvature: Curvature.Mode
        /// Seed of the projection and the draws.
        var seed: UInt64
        enum CodingKeys: String, CodingKey {
            case projection, drawsPerExample = "draws_per_example", queryDraws = "query_draws", curvature, seed
        }
    }

    /// The sparsified fine-tuning game: pruning, recovery on all data, per-coalition fine-tuning.
    struct SparsifiedSettings: Sendable, Codable {
        /// Fraction of convolution and linear weights pruned by magnitude.
        var sparsity: Double
        /// Fine-tuning of the pruned model on all data, once.
        var recovery: CoalitionTrainingRecipe
        /// Fine-tuning of the pruned, recovered model on one coalition's data.
        var coalition: CoalitionTrainingRecipe
    }

    /// The sampled estimators compared with exact enumeration, at the daemon's defaults.
    struct SampledSettings: Sendable, Codable {
        /// Relative standard-error target (a fraction of |F(all) − F(∅)| per property).
        var targetStandardError: Double
        /// Coalitions one estimate may evaluate (the daemon's `max_coalitions`).
        var maxCoalitions: Int
        /// Seed of the coalition sampling.
        var seed: UInt64
        enum CodingKeys: String, CodingKey {
            case targetStandardError = "target_standard_error", maxCoalitions = "max_coalitions", seed
        }
    }

    /// The counterfactual retraining without the top- and bottom-ranked contributors.
    struct CounterfactualSettings: Sendable, Codable {
        /// Seed offsets added to the training seed; 0 (the Shapley retraining seed) is refused.
        var seedOffsets: [UInt64]
        /// Contributors removed at each end of a ranking.
        var removed: Int
        enum CodingKeys: String, CodingKey {
            case seedOffsets = "seed_offsets", removed
        }
    }

    /// The synthetic data.
    var data: DataSettings
    /// The full model's recipe, which is also the retraining game's (so F(all) is the full model's).
    var training: TrainingConfig
    /// How models are measured.
    var properties: PropertySettings
    /// How influence-based values are made.
    var influence: InfluenceSettings
    /// The sparsified fine-tuning game.
    var sparsified: SparsifiedSettings
    /// The sampled estimators at the daemon's defaults.
    var sampled: SampledSettings
    /// The counterfactual retraining.
    var counterfactual: CounterfactualSettings
    /// Players compared at the top of each ranking.
    var topCount: Int
    /// Coalitions evaluated at once, each on its own thread with single-threaded BLAS.
    var workers: Int

    enum CodingKeys: String, CodingKey {
        case data, training, properties, influence, sparsified, sampled, counterfactual, topCount = "top_count", workers
    }

    /// The retraining game's recipe: the full model's training settings.
    var retrainingRecipe: CoalitionTrainingRecipe {
        CoalitionTrainingRecipe(steps: training.steps, batchSize: training.batchSize, learningRate: training.learningRate,
                                warmupSteps: training.warmupSteps, maxGradNorm: training.maxGradNorm, adam: training.adam,
                                seed: training.seed)
    }

    /// Reads and validates a configuration file.
    static func load(contentsOf url: URL) throws -> ShapleyBenchmarkConfig {
        let config = try JSONDecoder().decode(ShapleyBenchmarkConfig.self, from: Data(contentsOf: url))
        try config.validate()
        return config
    }

    /// Throws ``ShapleyBenchmarkError/invalidSetting(key:reason:)`` for the first setting out of range.
    func validate() throws {
        let checks: [(String, Bool, String)] = [
            ("data.contributors", (2...ShapleyBenchmarkConfig.maxPlayers).contains(data.contributors),
             "must be 2 to \(ShapleyBenchmarkConfig.maxPlayers) (every coalition is enumerated)"),
            ("data.image_size", data.imageSize == training.imageSize, "must equal training.model.sample_size"),
            ("data.training_shards", data.trainingShards >= 1, "must be at least 1"),
            ("data.examples_per_shard", data.examplesPerShard >= 2, "must be at least 2"),
            ("training.use_ema", !training.useEMA, "must be false: the checkpoint's model must be the trained one"),
            ("training.model.in_channels", training.model.inChannels == 3, "must be 3 (RGB glyphs)"),
            ("properties.generated_samples", properties.generatedSamples >= 2, "must be at least 2"),
            ("properties.sampling_steps", properties.samplingSteps >= 1, "must be at least 1"),
            ("properties.held_out_images", (2...data.examplesPerShard).contains(properties.heldOutImages),
             "must be 2 to data.examples_per_shard"),
            ("properties.loss_draws", properties.lossDraws >= 1, "must be at least 1"),
            ("properties.feature_dimension", properties.featureDimension >= 1, "must be at least 1"),
            ("influence.projection", influence.projection >= 0, "must not be negative (0: no projection)"),
            ("influence.draws_per_example", influence.drawsPerExample >= 1, "must be at least 1"),
            ("influence.query_draws", influence.queryDraws >= 1, "must be at least 1"),
            ("sparsified.sparsity", (0..<1).contains(sparsified.sparsity), "must lie in [0, 1)"),
            ("sampled.target_standard_error", sampled.targetStandardError > 0, "must be positive"),
            ("sampled.max_coalitions", sampled.maxCoalitions >= 2, "must be at least 2"),
            ("counterfactual.seed_offsets", !counterfactual.seedOffsets.isEmpty && !counterfactual.seedOffsets.contains(0)
                && Set(counterfactual.seedOffsets).count == counterfactual.seedOffsets.count,
             "must be distinct and non-zero (0 is the Shapley retraining seed)"),
            ("counterfactual.removed", (1...data.contributors / 2).contains(counterfactual.removed), "must be 1 to half the contributors"),
            ("top_count", (1...data.contributors).contains(topCount), "must be 1 to the number of contributors"),
            ("workers", workers >= 1, "must be at least 1"),
        ]
        if let failed = checks.first(where: { !$0.1 }) { throw ShapleyBenchmarkError.invalidSetting(key: failed.0, reason: failed.2) }
        try sparsified.recovery.validate()
        try sparsified.coalition.validate()
    }

    /// Most contributors: every one of the 2^n coalitions is trained.
    static let maxPlayers = 10
}

import ContributorValuation
import DiffusionModel

/// What each cached artefact of the benchmark depends on, as short fingerprints: an artefact is
/// reused exactly when the settings it was made from (its own and its inputs') are unchanged.
struct ShapleyBenchmarkFingerprints: Sendable {
    /// The shard files.
    let data: String
    /// The full model (data and training recipe).
    let fullModel: String
    /// The index of the full model.
    let index: String
    /// The property suite (data, measurement settings, noise schedule).
    let properties: String
    /// The influence values (index and properties).
    let influence: String
    /// The pruned and recovered model.
    let prunedModel: String
    /// The sparsified fine-tuning game's coalition values.
    let sparsifiedGame: String
    private let retrainingBase: [String]

    /// The fingerprints of `config`'s artefacts.
    init(config: ShapleyBenchmarkConfig) {
        typealias Work = ShapleyBenchmarkWork
        let version = "shapley-benchmark-1"
        data = Work.fingerprint([version, Work.describe(config.data)])
        fullModel = Work.fingerprint([data, Work.describe(config.training)])
        index = Work.fingerprint([fullModel, Work.describe(config.influence)])
        properties = Work.fingerprint([data, Work.describe(config.properties), Work.describe(config.training.schedulerConfig)])
        influence = Work.fingerprint([index, properties])
        prunedModel = Work.fingerprint([fullModel, "sparsity=\(config.sparsified.sparsity)", Work.describe(config.sparsified.recovery)])
        sparsifiedGame = Work.fingerprint([prunedModel, properties, Work.describe(config.sparsified.coalition)])
        retrainingBase = [data, properties, Work.describe(config.training.model), Work.describe(config.training.schedulerConfig)]
    }

    /// The retraining game's coalition values under `recipe` (its seed included).
    func retrainingGame(recipe: CoalitionTrainingRecipe) -> String {
        ShapleyBenchmarkWork.fingerprint(retrainingBase + [ShapleyBenchmarkWork.describe(recipe)])
    }
}

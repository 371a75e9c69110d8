import AttributionProtocol
import AttributionStore
import ContributorValuation
import DiffusionModel
import Foundation

/// Names everything a coalition's value depends on, so a stored game is reused exactly when its
/// values would come out the same, and is deleted once they would not.
///
/// A game's fingerprint hashes its estimator; for sparsified fine-tuning the checkpoint step
/// (retraining starts from scratch, so its games stay valid across checkpoints while the data is
/// unchanged); the model and noise-schedule configs; the training data (accepted training shards
/// by name, example count and content hash, and the contributor ids); each property with its
/// settings (held-out images, draws, generation, classifier, feature map); and the training
/// recipes of the game. The pruned model's fingerprint hashes the step, the configs, the data,
/// the sparsity and the recovery recipe.
struct GameFingerprints: Sendable {
    /// The checkpoint valued.
    let step: Int
    /// ``ValuationData/fingerprint``.
    let data: String
    /// The UNet config and noise schedule, as JSON.
    let model: String
    /// What each property's values depend on besides the model, by property name.
    let propertySettings: [String: String]
    /// Training recipes and pruning.
    let configuration: DaemonConfiguration.Shapley

    /// Bumped when the meaning of stored coalition values changes, so older games are dropped.
    static let version = "shapley-game-1"

    /// The fingerprint of the game of `kind` over `properties` (canonical order).
    func fingerprint(_ kind: CoalitionGameKind, properties: [String]) -> String {
        var parts = [Self.version, "estimator=\(kind.estimator.rawValue)", model, data]
        parts += properties.map { "property=\($0){\(propertySettings[$0] ?? "unknown")}" }
        switch kind {
        case .sparsifiedFineTuning: parts += ["step=\(step)", "pruned=\(prunedModel)", "coalition=\(Self.describe(configuration.coalitionRecipe))"]
        case .retraining: parts += ["retraining=\(Self.describe(configuration.retrainingRecipe))"]
        }
        return "\(kind.estimator.rawValue)-\(FNV1a64.hexDigest(of: parts))"
    }

    /// Whether `game` is the current game of its estimator and properties: a refresh of those
    /// now would reuse it.
    func isCurrent(_ game: ShapleyGameRecord) -> Bool {
        guard let kind = ShapleyEstimatorKind(rawValue: game.estimator).flatMap(CoalitionGameKind.init) else { return false }
        return fingerprint(kind, properties: game.properties) == game.fingerprint
    }

    /// The pruned and recovered model's fingerprint: what it was made from.
    var prunedModel: String {
        FNV1a64.hexDigest(of: [Self.version, "step=\(step)", model, data, "sparsity=\(configuration.sparsity)",
                   "recovery=\(Self.describe(configuration.recoveryRecipe))"])
    }

    /// The file name of the current pruned model in ``RefreshContext/prunedModelFolder``.
    var prunedModelFileName: String { "pruned-\(prunedModel).safetensors" }

    /// The model's description: its UNet config and noise schedule as JSON with sorted keys.
    static func describe(config: UNet2DConfig, scheduler: DDPMSchedulerConfig) -> String {
        "model=\(json(config)) scheduler=\(json(scheduler))"
    }

    /// A recipe as JSON with sorted keys.
    static func describe(_ recipe: CoalitionTrainingRecipe) -> String { json(recipe) }

    private static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // These are plain numbers and strings, which always encode; an impossible failure
        // still yields a stable (if unhelpful) description rather than a crash.
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "\(value)"
    }
}

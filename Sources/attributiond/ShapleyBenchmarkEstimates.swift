import Foundation
import Shapley

/// One estimator's contributor values for every property and what they cost.
struct ShapleyBenchmarkEstimate: Sendable, Codable {
    /// The estimator, e.g. `retraining` or `sparsified fine-tuning`.
    var estimator: String
    /// How coalitions were chosen (`exact`, `kernel`, `permutation`), or `none` for influence.
    var sampling: String
    /// `values[property][player]`.
    var values: [[Double]]
    /// `standardErrors[property][player]` (0 for exact enumeration).
    var standardErrors: [[Double]]
    /// Coalitions evaluated (0 for influence).
    var coalitions: Int
    /// Compute seconds: the coalitions' training and measuring, plus any preparation.
    var seconds: Double
    /// For sampled estimates: whether every standard error met the target within the budget.
    var reachedTarget: Bool?

    enum CodingKeys: String, CodingKey {
        case estimator, sampling, values, standardErrors = "standard_errors", coalitions, seconds, reachedTarget = "reached_target"
    }
}

/// Shapley estimates from a game's memo: by exact enumeration, or by sampling as the daemon does
/// (relative standard-error target, a coalition budget) with the memo answering every coalition,
/// so the cost of a sampled estimate is the recorded cost of the coalitions it asked for.
enum ShapleyBenchmarkEstimates {
    /// The exact Shapley values of the game in `memo` (which must hold every coalition).
    static func exact(estimator: String, memo: ShapleyBenchmarkMemo, players: Int, properties: Int, preparationSeconds: Double) throws
        -> ShapleyBenchmarkEstimate {
        let values = try memo.coalitionValues()
        let all = (0..<(UInt64(1) << UInt64(players))).map { Coalition(bits: $0) }
        if let missing = all.first(where: { values[$0] == nil }) {
            throw ShapleyBenchmarkError.missingCoalition(game: memo.game, coalition: missing.description)
        }
        let estimates = try ShapleyEstimator(players: players, properties: properties, sampling: .exact, seed: 0, resuming: nil)
            .estimates(values: values)
        return ShapleyBenchmarkEstimate(estimator: estimator, sampling: ShapleySampling.exact.rawValue, values: estimates.values,
                                        standardErrors: estimates.standardErrors, coalitions: all.count,
                                        seconds: preparationSeconds + memo.seconds(of: all), reachedTarget: nil)
    }

    /// The estimate `sampling` reaches on the game in `memo` under the daemon's stopping rule.
    static func sampled(
        estimator: String, sampling: ShapleySampling, memo: ShapleyBenchmarkMemo, players: Int, properties: Int,
        settings: ShapleyBenchmarkConfig.SampledSettings, preparationSeconds: Double
    ) throws -> ShapleyBenchmarkEstimate {
        let complete = try memo.coalitionValues()
        var sampler = try ShapleyEstimator(players: players, properties: properties, sampling: sampling, seed: settings.seed, resuming: nil)
        var values = CoalitionValues(properties: properties)
        var asked: [Coalition] = []
        let target = ShapleyEstimator.StandardErrorTarget.relative(settings.targetStandardError)
        let estimates = try sampler.run(
            values: &values, target: target, minSamples: 2, maxNewEvaluations: settings.maxCoalitions,
            evaluate: { coalition in
                guard let known = complete[coalition] else {
                    throw ShapleyBenchmarkError.missingCoalition(game: memo.game, coalition: coalition.description)
                }
                asked.append(coalition)
                return known
            },
            afterEvaluation: { _ in .proceed })
        return ShapleyBenchmarkEstimate(estimator: estimator, sampling: sampling.rawValue, values: estimates.values,
                                        standardErrors: estimates.standardErrors, coalitions: asked.count,
                                        seconds: preparationSeconds + memo.seconds(of: asked), reachedTarget: target.isReached(by: estimates))
    }
}

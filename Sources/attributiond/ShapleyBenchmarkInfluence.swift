import Attribution
import AttributionStore
import ContributorValuation
import DiffusionModel
import Foundation
import Indexing
import ModelProperties
import Numerics

/// Influence-based contributor values of the full model: each property's gradient target
/// (``PropertySuite/gradientTargets(_:)``) attributed through the index, per-sample contributor
/// totals combined by ``InfluenceValuation``. Cached in `influence.json` under its stamp.
struct ShapleyBenchmarkInfluence: Sendable, Codable {
    /// `values[property][player]`: estimates of F(all) − F(all but the player), in F's units.
    var values: [[Double]]
    /// Their Monte-Carlo standard errors over the target's images.
    var standardErrors: [[Double]]
    /// Seconds of the gradient targets and the attribution queries (indexing not included).
    var seconds: Double

    enum CodingKeys: String, CodingKey {
        case values, standardErrors = "standard_errors", seconds
    }

    /// The cached values when their stamp matches `fingerprint`, else computed and cached.
    static func values(
        model: UNet2DModel, step: Int, suite: PropertySuite, data: ShapleyBenchmarkData, index: (store: AttributionStore, settings: IndexSettings),
        settings: ShapleyBenchmarkConfig.InfluenceSettings, work: ShapleyBenchmarkWork, fingerprint: String
    ) throws -> ShapleyBenchmarkInfluence {
        let file = work.folder.appendingPathComponent("influence.json")
        if work.currentSeconds("influence", fingerprint: fingerprint) != nil,
           let cached = try? JSONDecoder().decode(ShapleyBenchmarkInfluence.self, from: Data(contentsOf: file)) {
            return cached
        }
        printProgress("influence: gradient targets of \(suite.names.joined(separator: ", ")) and their attribution")
        let attributor = Attributor(run: TrainingRun(folder: work.run), store: index.store, settings: index.settings)
        let player = Dictionary(uniqueKeysWithValues: data.partition.contributors.enumerated().map { ($1, $0) })
        let valuation = try InfluenceValuation(players: data.partition.count, trainingExamples: data.count)
        var estimates: InfluenceEstimates?
        let seconds = try timedThrowing {
            let targets = try suite.gradientTargets(model).map { (samples: $0.samples, weights: $0.weights) }
            estimates = try valuation.estimate(targets: targets) { batch in
                let query = AttributionQuery(samples: batch, topK: 1, checkpoints: .steps([step]), measurement: .loss,
                                             queryDraws: settings.queryDraws, curvature: settings.curvature)
                return try attributor.attribute(query).samples.map { sample in
                    var totals = [Double](repeating: 0, count: data.partition.count)
                    for score in sample.contributors { if let index = player[score.contributor] { totals[index] = score.score } }
                    return totals
                }
            }
        }
        guard let estimates else { preconditionFailure("the timed body sets the estimates or throws") }
        let result = ShapleyBenchmarkInfluence(values: estimates.values, standardErrors: estimates.standardErrors, seconds: seconds)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(result).write(to: file, options: .atomic)
        try work.stamp("influence", fingerprint: fingerprint, seconds: seconds)
        return result
    }
}

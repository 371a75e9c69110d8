import Evaluation
import Foundation

/// Everything the benchmark found, printed as markdown tables and written as JSON.
struct ShapleyBenchmarkReport: Sendable, Encodable {
    /// One estimator judged against retraining for one property.
    struct Comparison: Sendable, Encodable {
        /// The estimator and how it chose coalitions.
        var estimator: String
        var sampling: String
        /// Coalitions it evaluated, and the compute seconds it took.
        var coalitions: Int
        var seconds: Double
        /// Its seconds over exact retraining's.
        var costRatio: Double
        /// For sampled estimates: whether the standard-error target was met within the budget.
        var reachedTarget: Bool?
        /// Correlations and top agreement with the retraining values.
        var agreement: ShapleyComparison
        /// The values' sum against the retraining game's F(all) − F(∅) (ΔF): 1 for exact retraining
        /// values; for other estimators it shows how their scale compares.
        var efficiency: EfficiencyCheck
        enum CodingKeys: String, CodingKey {
            case estimator, sampling, coalitions, seconds, costRatio = "cost_ratio", reachedTarget = "reached_target", agreement, efficiency
        }
    }

    /// One ranking's counterfactual for one property.
    struct Counterfactual: Sendable, Encodable {
        /// The estimator whose ranking chose the removals.
        var ranking: String
        /// Contributors removed at the top and at the bottom of the ranking.
        var removedTop: [String]
        var removedBottom: [String]
        /// The property with all contributors and without either group, averaged over seeds.
        var outcome: CounterfactualOutcome
        enum CodingKeys: String, CodingKey {
            case ranking, removedTop = "removed_top", removedBottom = "removed_bottom", outcome
        }
    }

    /// Everything about one property.
    struct Property: Sendable, Encodable {
        /// The property's name and direction.
        var name: String
        var higherIsBetter: Bool
        /// The full model's value (the checkpoint), and F(all) and F(∅) of the retraining game.
        var fullModel: Double
        var retrainingGrand: Double
        var retrainingEmpty: Double
        /// Every estimator against retraining.
        var comparisons: [Comparison]
        /// The counterfactual check of each ranking.
        var counterfactuals: [Counterfactual]
        enum CodingKeys: String, CodingKey {
            case name, higherIsBetter = "higher_is_better", fullModel = "full_model", retrainingGrand = "retraining_grand"
            case retrainingEmpty = "retraining_empty", comparisons, counterfactuals
        }
    }

    /// The settings of the run.
    var config: ShapleyBenchmarkConfig
    /// Contributor names and training examples, by player.
    var contributors: [String]
    var examplesPerContributor: [Int]
    /// This machine's single-thread sgemm peak, measured in the same run.
    var sgemmOneThreadGFLOPS: Double
    /// Accuracy of the class-diversity classifier on the held-out images.
    var classifierHeldOutAccuracy: Double
    /// Seconds of training and of indexing the full model (recorded when they were made).
    var fullModelTrainingSeconds: Double
    var indexSeconds: Double
    /// Every estimator's values.
    var estimates: [ShapleyBenchmarkEstimate]
    /// The comparisons and counterfactuals per property.
    var properties: [Property]
    /// Wall-clock seconds of this run (less than the sum of costs when parts were cached).
    var wallSeconds: Double

    enum CodingKeys: String, CodingKey {
        case config, contributors, examplesPerContributor = "examples_per_contributor", sgemmOneThreadGFLOPS = "sgemm_one_thread_gflops"
        case classifierHeldOutAccuracy = "classifier_held_out_accuracy", fullModelTrainingSeconds = "full_model_training_seconds"
        case indexSeconds = "index_seconds", estimates, properties, wallSeconds = "wall_seconds"
    }

    /// The markdown tables: agreement and cost, the properties' ends, the values of the exact and
    /// influence estimators (sampled ones are summarised in the first table), counterfactuals.
    var markdown: String {
        let top = config.topCount
        var lines = ["| property | estimator | sampling | coalitions | Pearson | Spearman | top-\(top) | Σφ / ΔF | seconds | cost vs retraining |",
                     "|---|---|---|---|---|---|---|---|---|---|"]
        for property in properties {
            for row in property.comparisons {
                let target = row.reachedTarget.map { $0 ? "" : " (target not reached)" } ?? ""
                lines.append("| \(property.name) | \(row.estimator) | \(row.sampling)\(target) | \(row.coalitions) | "
                             + "\(Self.format(row.agreement.pearson)) | \(Self.format(row.agreement.spearman)) | "
                             + String(format: "%.2f | %.2f | %.0f | %.3f |", row.agreement.topAgreement, row.efficiency.sum / row.efficiency.total,
                                      row.seconds, row.costRatio))
            }
        }
        lines += ["", "| property | direction | full model | retraining F(all) | retraining F(∅) |", "|---|---|---|---|---|"]
        for property in properties {
            lines.append("| \(property.name) | \(property.higherIsBetter ? "higher is better" : "lower is better") | "
                         + String(format: "%.5f | %.5f | %.5f |", property.fullModel, property.retrainingGrand, property.retrainingEmpty))
        }
        let shown = estimates.filter { $0.sampling != "kernel" && $0.sampling != "permutation" }
        lines += ["", "| property | contributor | examples | " + shown.map(\.estimator).joined(separator: " | ") + " |",
                  "|---|---|---|" + String(repeating: "---|", count: shown.count)]
        for (p, property) in properties.enumerated() {
            for (player, name) in contributors.enumerated() {
                lines.append("| \(property.name) | \(name) | \(examplesPerContributor[player]) | "
                             + shown.map { String(format: "%+.5f", $0.values[p][player]) }.joined(separator: " | ") + " |")
            }
        }
        lines += ["", "| property | ranking | removed top-\(config.counterfactual.removed) | removed bottom-\(config.counterfactual.removed) | "
                  + "F(all) | F(without top) | F(without bottom) | top removal hurts more |", "|---|---|---|---|---|---|---|---|"]
        for property in properties {
            for row in property.counterfactuals {
                let outcome = row.outcome
                lines.append("| \(property.name) | \(row.ranking) | \(row.removedTop.joined(separator: ", ")) | "
                             + "\(row.removedBottom.joined(separator: ", ")) | "
                             + String(format: "%.5f | %.5f | %.5f | ", outcome.full, outcome.withoutTop, outcome.withoutBottom)
                             + (outcome.topRemovalHurtsMore ? "yes" : "no") + " |")
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func format(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "n/a" }
}

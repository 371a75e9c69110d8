import ContributorValuation
import Evaluation
import Foundation
import ModelProperties
import Shapley

extension ShapleyBenchmarkRun {
    /// Every estimator's values: the exact games, the daemon's sampled estimators on them, influence.
    struct Estimates: Sendable {
        var retraining: ShapleyBenchmarkEstimate
        var sparsified: ShapleyBenchmarkEstimate
        var influence: ShapleyBenchmarkEstimate
        /// KernelSHAP and permutation sampling at the daemon's defaults, on both games.
        var sampled: [ShapleyBenchmarkEstimate]

        /// Every estimate, retraining first.
        var all: [ShapleyBenchmarkEstimate] { [retraining, sparsified] + sampled + [influence] }
        /// The estimates drawn in the chart.
        var charted: [ShapleyBenchmarkEstimate] { [retraining, sparsified, influence] }
    }

    /// The estimates from the memos and the influence values.
    func estimates() throws -> Estimates {
        guard let fullModel else { preconditionFailure("phase 1 makes the full model first") }
        let players = data.partition.count, properties = suite.names.count
        let retrainingName = "retraining", sparsifiedName = "sparsified fine-tuning"
        var sampled: [ShapleyBenchmarkEstimate] = []
        for (name, memo, preparation) in [(sparsifiedName, sparsified, fullModel.pruningSeconds), (retrainingName, retraining, 0)] {
            for sampling in [ShapleySampling.kernel, .permutation] {
                sampled.append(try ShapleyBenchmarkEstimates.sampled(
                    estimator: name, sampling: sampling, memo: memo, players: players, properties: properties,
                    settings: config.sampled, preparationSeconds: preparation))
            }
        }
        let influence = fullModel.influence
        return Estimates(
            retraining: try ShapleyBenchmarkEstimates.exact(estimator: retrainingName, memo: retraining, players: players,
                                                            properties: properties, preparationSeconds: 0),
            sparsified: try ShapleyBenchmarkEstimates.exact(estimator: sparsifiedName, memo: sparsified, players: players,
                                                            properties: properties, preparationSeconds: fullModel.pruningSeconds),
            influence: ShapleyBenchmarkEstimate(estimator: "influence", sampling: "none", values: influence.values,
                                                standardErrors: influence.standardErrors, coalitions: 0,
                                                seconds: fullModel.indexSeconds + influence.seconds, reachedTarget: nil),
            sampled: sampled)
    }

    /// Phase 3: retrains the counterfactual coalitions of `rankings` with every configured seed
    /// offset (those not yet in their memos) and returns each removal's outcome.
    func counterfactuals(rankings: [ShapleyBenchmarkEstimate]) throws
        -> [(removal: ShapleyBenchmarkCounterfactual.Removal, outcome: CounterfactualOutcome)] {
        let players = data.partition.count
        let plan = ShapleyBenchmarkCounterfactual.plan(rankings: rankings, higherIsBetter: suite.higherIsBetter,
                                                       removed: config.counterfactual.removed)
        let coalitions = ShapleyBenchmarkCounterfactual.coalitions(for: plan, players: players)
        var memos: [ShapleyBenchmarkMemo] = []
        var jobs: [ShapleyBenchmarkLanes.Job] = []
        for offset in config.counterfactual.seedOffsets {
            var recipe = config.retrainingRecipe
            recipe.seed = config.retrainingRecipe.seed &+ offset
            let name = "counterfactual-seed-\(offset)"
            let memo = try work.memo(game: name, fingerprint: fingerprints.retrainingGame(recipe: recipe), properties: suite.names)
            memos.append(memo)
            jobs += coalitions.filter { !memo.contains($0) }.map { games.retrainingJob($0, recipe: recipe, memo: memo, of: coalitions.count) }
        }
        printProgress("counterfactual: \(jobs.count) retrainings (\(coalitions.count) coalitions × "
                      + "\(config.counterfactual.seedOffsets.count) seeds, those not cached)")
        try ShapleyBenchmarkLanes.run(lanes: config.workers, jobs: jobs)
        return try ShapleyBenchmarkCounterfactual.outcomes(plan: plan, memos: memos, players: players, higherIsBetter: suite.higherIsBetter)
    }

    /// The report of `estimates` and `counterfactuals` (wall time still to be filled in).
    func report(
        estimates: Estimates, counterfactuals: [(removal: ShapleyBenchmarkCounterfactual.Removal, outcome: CounterfactualOutcome)],
        sgemm: Double
    ) throws -> ShapleyBenchmarkReport {
        guard let fullModel else { preconditionFailure("phase 1 makes the full model first") }
        let players = data.partition.count
        guard let grand = retraining.values(of: .grand(players: players)), let empty = retraining.values(of: .empty) else {
            throw ShapleyBenchmarkError.missingCoalition(game: retraining.game, coalition: "all or none")
        }
        let reference = estimates.retraining
        let properties = suite.names.indices.map { p in
            let higherIsBetter = suite.higherIsBetter[p]
            let comparisons = estimates.all.map { estimate in
                ShapleyBenchmarkReport.Comparison(
                    estimator: estimate.estimator, sampling: estimate.sampling, coalitions: estimate.coalitions, seconds: estimate.seconds,
                    costRatio: estimate.seconds / reference.seconds, reachedTarget: estimate.reachedTarget,
                    agreement: ShapleyComparison(estimate: estimate.values[p], reference: reference.values[p],
                                                 higherIsBetter: higherIsBetter, topCount: config.topCount),
                    efficiency: EfficiencyCheck(values: estimate.values[p], grandValue: grand[p], emptyValue: empty[p]))
            }
            let removals = counterfactuals.filter { $0.removal.property == p }.map { row in
                ShapleyBenchmarkReport.Counterfactual(ranking: row.removal.ranking, removedTop: row.removal.top.map(data.name(ofPlayer:)),
                                                      removedBottom: row.removal.bottom.map(data.name(ofPlayer:)), outcome: row.outcome)
            }
            return ShapleyBenchmarkReport.Property(
                name: suite.names[p], higherIsBetter: higherIsBetter, fullModel: fullModel.values[p], retrainingGrand: grand[p],
                retrainingEmpty: empty[p], comparisons: comparisons, counterfactuals: removals)
        }
        return ShapleyBenchmarkReport(
            config: config, contributors: (0..<players).map(data.name(ofPlayer:)), examplesPerContributor: data.partition.examples.map(\.count),
            sgemmOneThreadGFLOPS: sgemm, classifierHeldOutAccuracy: classifierAccuracy, fullModelTrainingSeconds: fullModel.trainingSeconds,
            indexSeconds: fullModel.indexSeconds, estimates: estimates.all, properties: properties, wallSeconds: 0)
    }
}

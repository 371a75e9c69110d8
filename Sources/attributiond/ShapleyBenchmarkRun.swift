import Attribution
import AttributionStore
import ContributorValuation
import DiffusionModel
import Foundation
import Indexing
import ModelProperties
import Numerics
import Shapley

/// The benchmark's phases over one work folder: (1) the full model's chain (training, index,
/// influence, pruning) on one lane while the other lanes retrain coalitions, then every lane
/// retrains; (2) the sparsified fine-tuning coalitions; (3) the counterfactual retraining.
struct ShapleyBenchmarkRun {
    /// What the full model's chain produces.
    struct FullModel: Sendable {
        var values: [Double]
        var trainingSeconds: Double
        var indexSeconds: Double
        var influence: ShapleyBenchmarkInfluence
        var pruned: PrunedModel
        var pruningSeconds: Double
    }

    let config: ShapleyBenchmarkConfig
    let work: ShapleyBenchmarkWork
    let data: ShapleyBenchmarkData
    let suite: PropertySuite
    let classifierAccuracy: Double
    let fingerprints: ShapleyBenchmarkFingerprints
    let games: ShapleyBenchmarkGames
    let retraining: ShapleyBenchmarkMemo
    let sparsified: ShapleyBenchmarkMemo
    private(set) var fullModel: FullModel?

    /// Prepares the data (written unless cached), the property suite and the games' memos.
    init(config: ShapleyBenchmarkConfig, work: ShapleyBenchmarkWork) throws {
        self.config = config
        self.work = work
        fingerprints = ShapleyBenchmarkFingerprints(config: config)
        if work.currentSeconds("data", fingerprint: fingerprints.data) == nil { try work.remove(work.run) }
        data = try ShapleyBenchmarkData.prepare(settings: config.data, heldOutImages: config.properties.heldOutImages,
                                                folder: work.run.appendingPathComponent("data"))
        try work.stamp("data", fingerprint: fingerprints.data, seconds: 0)
        (suite, classifierAccuracy) = try ShapleyBenchmarkProperties.suite(data: data, settings: config.properties,
                                                                           schedulerConfig: config.training.schedulerConfig)
        games = ShapleyBenchmarkGames(data: data, suite: suite, training: config.training)
        retraining = try work.memo(game: "retraining", fingerprint: fingerprints.retrainingGame(recipe: config.retrainingRecipe),
                                   properties: suite.names)
        sparsified = try work.memo(game: "sparsified", fingerprint: fingerprints.sparsifiedGame, properties: suite.names)
        printProgress("data: \(data.count) training examples of \(data.partition.count) contributors "
                      + "(\(data.partition.examples.map { "\($0.count)" }.joined(separator: ", "))), "
                      + "\(data.heldOut.shape[0]) held-out images; classifier held-out accuracy "
                      + String(format: "%.3f", classifierAccuracy))
    }

    /// Phase 1: the full model's chain on one lane, the retraining coalitions not yet in the memo on every lane.
    mutating func evaluateRetrainingAndFullModel() throws {
        let products = ShapleyBenchmarkLanes.Slot<FullModel>()
        let missing = games.allCoalitions.filter { !retraining.contains($0) }
        printProgress("retraining: \(missing.count) of \(games.allCoalitions.count) coalitions to train "
                      + "(\(config.training.steps) steps of batch \(config.training.batchSize) each)")
        let chain: ShapleyBenchmarkLanes.Job = { [self] in
            let full = try makeFullModel()
            products.value = full
        }
        try ShapleyBenchmarkLanes.run(lanes: config.workers, jobs: [chain] + missing.map {
            games.retrainingJob($0, recipe: config.retrainingRecipe, memo: retraining, of: games.allCoalitions.count)
        })
        fullModel = products.value
    }

    /// Phase 2: the sparsified fine-tuning coalitions not yet in the memo.
    func evaluateSparsified() throws {
        guard let fullModel else { preconditionFailure("phase 1 makes the full model first") }
        let missing = games.allCoalitions.filter { !sparsified.contains($0) }
        printProgress("sparsified: \(missing.count) of \(games.allCoalitions.count) coalitions to fine-tune "
                      + "(\(config.sparsified.coalition.steps) steps of batch \(config.sparsified.coalition.batchSize) each)")
        try ShapleyBenchmarkLanes.run(lanes: config.workers, jobs: missing.map {
            games.sparsifiedJob($0, pruned: fullModel.pruned, recipe: config.sparsified.coalition, memo: sparsified,
                                of: games.allCoalitions.count)
        })
    }

    /// The full model, its measured properties, index, influence values and pruned model.
    private func makeFullModel() throws -> FullModel {
        let trained = try ShapleyBenchmarkFullModel.trained(config: config.training, work: work, fingerprint: fingerprints.fullModel)
        let values = try suite.measure(trained.model)
        let influence = config.influence
        let indexSettings = IndexSettings(
            gradients: GradientSettings(
                projection: influence.projection == 0 ? .identity : .fixed(inputs: influence.projection, outputs: influence.projection),
                projectionSeed: influence.seed, drawSeed: influence.seed, drawsPerExample: influence.drawsPerExample,
                queryDraws: influence.queryDraws),
            precision: .float32)
        let index = try ShapleyBenchmarkFullModel.indexed(step: config.training.steps, settings: indexSettings, work: work,
                                                          fingerprint: fingerprints.index)
        let influenceValues = try ShapleyBenchmarkInfluence.values(
            model: trained.model, step: config.training.steps, suite: suite, data: data, index: (index.store, index.settings),
            settings: influence, work: work, fingerprint: fingerprints.influence)
        let pruned = try ShapleyBenchmarkPruning.prepared(full: trained.model, config: config.training, settings: config.sparsified,
                                                          data: data, work: work, fingerprint: fingerprints.prunedModel)
        printProgress("full model: chain done (training, index, influence, pruning)")
        return FullModel(values: values, trainingSeconds: trained.seconds, indexSeconds: index.seconds, influence: influenceValues,
                         pruned: pruned.model, pruningSeconds: pruned.seconds)
    }
}

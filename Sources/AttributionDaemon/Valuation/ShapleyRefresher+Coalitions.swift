import AttributionProtocol
import AttributionStore
import ContributorValuation
import DiffusionModel
import Foundation
import Logging
import ModelProperties
import Shapley

extension ShapleyRefresher {
    /// Values the contributors by a coalition game (sparsified fine-tuning or retraining),
    /// reusing the game's stored coalitions and sampler state.
    func valueByCoalitions(_ kind: CoalitionGameKind, _ request: RefreshRequest, _ prepared: Preparation,
                           control: RefreshControl) throws(ShapleyRefreshError) -> RefreshOutcome {
        let partition = prepared.partition
        let sampling = request.sampling.resolved(players: partition.count, maxCoalitions: request.maxCoalitions)
        let fingerprint = prepared.fingerprints.fingerprint(kind, properties: request.properties)
        let game = try makeGame(kind, prepared)
        let stored = try CoalitionGamePlay.open(store: context.store, fingerprint: fingerprint, estimator: request.estimator.rawValue,
                                                step: prepared.step, players: partition.contributors, properties: request.properties)
        let play = CoalitionGamePlay(store: context.store, game: stored, sampling: sampling, seed: context.configuration.seed,
                                     logger: context.logger)
        let outcome = try play.play(target: request.targetStandardError, maxCoalitions: request.maxCoalitions, evaluate: game.evaluate,
                                    progress: prepared.progress, control: control)
        let evaluated = outcome.coalitions - outcome.reused
        let cost = game.cost()
        context.logger.info("Shapley coalitions evaluated", metadata: [
            "coalitions": "\(cost.evaluations)", "training_steps": "\(cost.trainingSteps)",
            "training_seconds": "\(String(format: "%.2f", cost.trainingSeconds))",
            "measuring_seconds": "\(String(format: "%.2f", cost.measuringSeconds))",
        ])
        if outcome.stopped { return .interrupted(coalitionsEvaluated: evaluated) }
        prepared.progress.report(.saving, sampling: sampling.kind, evaluated: evaluated, reused: outcome.reused)
        let estimates = outcome.estimates
        let results = request.properties.indices.map { property in
            PropertyValuation(property: request.properties[property], higherIsBetter: prepared.suite.higherIsBetter[property],
                              values: estimates.values[property], standardErrors: estimates.standardErrors[property],
                              grandValue: estimates.grandValue[property], emptyValue: estimates.emptyValue[property])
        }
        guard results.allSatisfy(\.isFinite) else {
            throw .estimator(Self.incompleteReason(sampling: sampling, players: partition.count, stored: outcome.coalitions,
                                                   budget: request.maxCoalitions))
        }
        return .completed(RefreshCompletion(
            step: prepared.step,
            valuations: results.map { result in
                result.record(estimator: request.estimator, sampling: sampling.kind, step: prepared.step, coalitions: outcome.coalitions,
                              reused: outcome.reused, target: request.targetStandardError, partition: partition)
            },
            game: outcome.game, fingerprints: prepared.fingerprints, coalitionsEvaluated: evaluated, coalitionsReused: outcome.reused))
    }

    /// Why a play that ran out of budget has no estimate to store.
    static func incompleteReason(sampling: ShapleySampling, players: Int, stored: Int, budget: Int) -> String {
        let kept = "the \(stored) coalition values evaluated are kept, so the next refresh continues from them"
        if sampling == .exact {
            return "exact enumeration needs all \(1 << players) coalitions of \(players) contributors and max_coalitions (\(budget)) "
                + "stopped it at \(stored); \(kept)"
        }
        return "max_coalitions (\(budget)) ran out before two samples gave a standard error; \(kept)"
    }

    /// A game's value of a coalition of players, and the compute it has spent so far.
    struct GameHandle {
        let evaluate: ([Int]) throws -> [Double]
        let cost: () -> ValuationCost
    }

    /// The game of `kind` over the prepared data.
    private func makeGame(_ kind: CoalitionGameKind, _ prepared: Preparation) throws(ShapleyRefreshError) -> GameHandle {
        let (checkpoint, data, suite) = (prepared.checkpoint, prepared.data, prepared.suite)
        let config = checkpoint.samplingModel.config
        let measure: (UNet2DModel) throws -> [Double] = { model in try suite.measure(model) }
        do {
            switch kind {
            case .retraining:
                let game = try RetrainingGame(config: config, schedulerConfig: checkpoint.schedulerConfig, recipe: context.configuration.retrainingRecipe,
                                              images: data.images, ids: data.ids, partition: prepared.partition, measure: measure)
                return GameHandle(evaluate: { players in try game.value(ofPlayers: players) }, cost: { game.cost })
            case .sparsifiedFineTuning:
                let files = PrunedModelFiles(folder: context.prunedModelFolder, logger: context.logger)
                let (pruned, reused) = try files.model(
                    fileName: prepared.fingerprints.prunedModelFileName, fingerprint: prepared.fingerprints.prunedModel, config: config
                ) { () throws(ValuationError) -> PrunedModel in
                    try SparsifiedFineTuningGame.prepare(
                        base: checkpoint.samplingModel.parameters, config: config, schedulerConfig: checkpoint.schedulerConfig,
                        sparsity: context.configuration.sparsity, recovery: context.configuration.recoveryRecipe, images: data.images, ids: data.ids)
                }
                context.logger.info(reused ? "reusing the pruned model" : "pruned and recovered the model",
                                    metadata: ["step": "\(prepared.step)", "file": "\(prepared.fingerprints.prunedModelFileName)"])
                let game = try SparsifiedFineTuningGame(
                    pruned: pruned, config: config, schedulerConfig: checkpoint.schedulerConfig, coalition: context.configuration.coalitionRecipe,
                    images: data.images, ids: data.ids, partition: prepared.partition, measure: measure)
                return GameHandle(evaluate: { players in try game.value(ofPlayers: players) }, cost: { game.cost })
            }
        } catch let error as ShapleyRefreshError {
            throw error
        } catch {
            throw .game("\(error)")
        }
    }
}

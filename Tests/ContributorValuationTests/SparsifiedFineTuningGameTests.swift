import ContributorValuation
import DiffusionModel
import Numerics
import Testing

/// Sparsified fine-tuning: recovery and fine-tuning keep pruned weights at zero; values are deterministic.
@Suite struct SparsifiedFineTuningGameTests {
    private func prepared() throws -> (PrunedModel, ValuationCost) {
        try SparsifiedFineTuningGame.prepareMeasuringCost(
            base: Self.trainedBase(), config: try ValuationTestSupport.tinyConfig(), schedulerConfig: ValuationTestSupport.schedulerConfig,
            sparsity: 0.5, recovery: ValuationTestSupport.recipe(), images: ValuationTestSupport.images, ids: ValuationTestSupport.ids)
    }

    private func game(_ pruned: PrunedModel, measure: @escaping (UNet2DModel) throws -> [Double]) throws -> SparsifiedFineTuningGame {
        try SparsifiedFineTuningGame(
            pruned: pruned, config: try ValuationTestSupport.tinyConfig(), schedulerConfig: ValuationTestSupport.schedulerConfig,
            coalition: ValuationTestSupport.recipe(steps: 4, learningRate: 0.05), images: ValuationTestSupport.images,
            ids: ValuationTestSupport.ids, partition: ValuationTestSupport.partition, measure: measure)
    }

    @Test func recoveryTrainsOnlyTheLiveWeights() throws {
        let (pruned, cost) = try prepared()
        let reference = try MagnitudePruning(sparsity: 0.5).prune(Self.trainedBase())
        #expect(pruned.masks == reference.masks && pruned.sparsity == 0.5)
        #expect(cost.trainingSteps == 3 && cost.examplesProcessed == 12 && cost.evaluations == 0)
        try expectMaskedWeightsAreZero(pruned.parameters, masks: pruned.masks)
        #expect(pruned.parameters != reference.parameters)
    }

    @Test func fineTuningKeepsPrunedWeightsAtZeroAndIsDeterministic() throws {
        let (pruned, _) = try prepared()
        let measured = MeasuredModels()
        let game = try game(pruned, measure: measured.recording())
        let empty = try game.value(ofPlayers: [])
        let first = try game.value(ofPlayers: [0, 3])
        let again = try game.value(ofPlayers: [3, 0])
        #expect(first == again && first != empty)
        #expect(measured.parameters[0] == pruned.parameters)
        #expect(measured.parameters[1] == measured.parameters[2] && measured.parameters[1] != pruned.parameters)
        try expectMaskedWeightsAreZero(measured.parameters[1], masks: pruned.masks)
        #expect(game.cost.evaluations == 3 && game.cost.trainingSteps == 8 && game.cost.examplesProcessed == 2 * 4 * 4)
    }

    @Test func badBasesAndDivergingRecoveryAreRefused() throws {
        let config = try ValuationTestSupport.tinyConfig()
        var missing = try Self.trainedBase()
        missing["conv_in.weight"] = nil
        let error = #expect(throws: ValuationError.self) {
            try SparsifiedFineTuningGame.prepare(
                base: missing, config: config, schedulerConfig: ValuationTestSupport.schedulerConfig, sparsity: 0.5,
                recovery: ValuationTestSupport.recipe(), images: ValuationTestSupport.images, ids: ValuationTestSupport.ids)
        }
        guard case .parametersDoNotMatchConfig = error else { Issue.record("unexpected \(String(describing: error))"); return }

        var diverging = ValuationTestSupport.recipe(learningRate: 1e30)
        diverging.warmupSteps = 0
        #expect(throws: ValuationError.nonFiniteLoss(coalition: nil, step: 1)) {
            try SparsifiedFineTuningGame.prepare(
                base: try Self.trainedBase(), config: config, schedulerConfig: ValuationTestSupport.schedulerConfig, sparsity: 0.5,
                recovery: diverging, images: ValuationTestSupport.images, ids: ValuationTestSupport.ids)
        }
        #expect(throws: ValuationError.invalidSparsity(1)) {
            try SparsifiedFineTuningGame.prepare(
                base: try Self.trainedBase(), config: config, schedulerConfig: ValuationTestSupport.schedulerConfig, sparsity: 1,
                recovery: ValuationTestSupport.recipe(), images: ValuationTestSupport.images, ids: ValuationTestSupport.ids)
        }
    }

    /// A "trained" base model to prune: the initial weights after two steps on all data.
    private static func trainedBase() throws -> ParameterSet {
        let trainer = try CoalitionTrainer(
            config: try ValuationTestSupport.tinyConfig(), schedulerConfig: ValuationTestSupport.schedulerConfig,
            recipe: ValuationTestSupport.recipe(steps: 2), images: ValuationTestSupport.images, ids: ValuationTestSupport.ids)
        return try trainer.train(from: trainer.initialParameters, examples: Array(0..<8), coalition: nil).parameters
    }

    private func expectMaskedWeightsAreZero(_ parameters: ParameterSet, masks: [String: Tensor]) throws {
        for (name, mask) in masks {
            let weights = try #require(parameters[name])
            let revived = zip(mask.scalars, weights.scalars).filter { $0.0 == 0 && $0.1 != 0 }.count
            #expect(revived == 0, "\(revived) pruned weights of \(name) are non-zero")
        }
    }
}

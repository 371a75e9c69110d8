import ContributorValuation
import DiffusionModel
import Numerics
import Testing

/// In-memory training on subsets: per-example draws, the mask's place around clipping, bad subsets.
@Suite struct CoalitionTrainerTests {
    private func trainer(recipe: CoalitionTrainingRecipe) throws -> CoalitionTrainer {
        try CoalitionTrainer(
            config: try ValuationTestSupport.tinyConfig(), schedulerConfig: ValuationTestSupport.schedulerConfig, recipe: recipe,
            images: ValuationTestSupport.images, ids: ValuationTestSupport.ids)
    }

    /// Every coalition below fits in one minibatch, so step 0's loss is the mean of its examples'
    /// losses at the initial weights: it adds up across coalitions only if every example gets the
    /// same timestep and noise whichever coalition (and batch position) it is in.
    @Test func anExampleGetsTheSameDrawWhateverCoalitionItIsIn() throws {
        let trainer = try trainer(recipe: ValuationTestSupport.recipe(steps: 1, batchSize: 8))
        let partition = ValuationTestSupport.partition
        func firstLoss(_ players: [Int]) throws -> Double {
            let run = try trainer.train(
                from: trainer.initialParameters, examples: partition.examples(ofPlayers: players), coalition: players)
            return Double(run.losses[0])
        }
        let first = try firstLoss([0])    // 3 examples
        let second = try firstLoss([1])   // 2 examples
        let both = try firstLoss([0, 1])  // 5 examples
        let combined = (3 * first + 2 * second) / 5
        #expect(abs(both - combined) <= 1e-5 * combined, "\(both) vs \(combined)")
        #expect(abs(first - second) > 1e-3 * first, "the two players' losses should differ for the check to mean anything")
    }

    /// With AdamW's ε far above every gradient, a first step moves each weight by −lr·g/(|g|+ε),
    /// so the update's norm is lr/ε times the clipped gradient's norm over live weights: exactly
    /// the clip norm only if masked gradients were zeroed before clipping.
    @Test func maskedGradientsAreZeroedBeforeClipping() throws {
        let config = try ValuationTestSupport.tinyConfig()
        let model = UNet2DModel(config: config, seed: 1)
        let pruned = try MagnitudePruning(sparsity: 0.5).prune(model.parameters)
        let objective = DenoisingObjective(model: model, scheduler: try DDPMScheduler(config: ValuationTestSupport.schedulerConfig))
        let draws = TrainingDraws(seed: 2)
        let step = DenoisingTrainingStep(objective: objective, draws: draws, maxGradNorm: 1e-3)
        var parameters = pruned.parameters
        var optimizer = AdamW(settings: AdamW.Settings(weightDecay: 0, epsilon: 1))
        try step.apply(step: 0, images: ValuationTestSupport.images, ids: ValuationTestSupport.ids, learningRate: 1,
                       parameters: &parameters, optimizer: &optimizer, mask: pruned.masks)

        var updateSquares = 0.0
        for (name, before) in pruned.parameters.entries {
            let after = try #require(parameters[name])
            for index in 0..<before.count {
                let change = Double(after.scalars[index]) - Double(before.scalars[index])
                updateSquares += change * change
                if let mask = pruned.masks[name], mask.scalars[index] == 0 { #expect(after.scalars[index] == 0) }
            }
        }
        #expect(abs(updateSquares.squareRoot() / 1e-3 - 1) < 3e-3, "update norm \(updateSquares.squareRoot())")

        // The check discriminates: the masked weights carry a good part of the full gradient.
        var timesteps: [Int] = []
        var noise: [Float] = []
        for id in ValuationTestSupport.ids {
            let draw = draws.timestepAndNoise(step: 0, exampleID: id, trainTimesteps: 1000, count: 16)
            timesteps.append(draw.timestep)
            noise += draw.noise
        }
        let gradients = objective.lossAndGradients(
            parameters: pruned.parameters, images: ValuationTestSupport.images, noise: Tensor(shape: [8, 1, 4, 4], scalars: noise),
            timesteps: timesteps).gradients
        var fullSquares = 0.0, liveSquares = 0.0
        for (name, gradient) in gradients {
            for (index, value) in gradient.scalars.enumerated() {
                fullSquares += Double(value) * Double(value)
                if pruned.masks[name].map({ $0.scalars[index] != 0 }) ?? true { liveSquares += Double(value) * Double(value) }
            }
        }
        #expect(liveSquares.squareRoot() > 1e-2 && liveSquares < 0.95 * fullSquares, "live \(liveSquares), full \(fullSquares)")
    }

    @Test func badSubsetsAndStartingWeightsAreRefused() throws {
        let trainer = try trainer(recipe: ValuationTestSupport.recipe(steps: 1))
        #expect(throws: ValuationError.emptyData) { try trainer.train(from: trainer.initialParameters, examples: [], coalition: []) }
        #expect(throws: ValuationError.partitionOutOfRange(example: 8, examples: 8)) {
            try trainer.train(from: trainer.initialParameters, examples: [0, 8], coalition: [0])
        }
        var missing = trainer.initialParameters
        missing["conv_out.bias"] = nil
        let error = #expect(throws: ValuationError.self) { try trainer.train(from: missing, examples: [0], coalition: [0]) }
        guard case .parametersDoNotMatchConfig(let mismatch) = error else { Issue.record("unexpected \(String(describing: error))"); return }
        #expect(mismatch.missing == ["conv_out.bias"])
    }

    @Test func badDataIsRefused() throws {
        let config = try ValuationTestSupport.tinyConfig()
        let recipe = ValuationTestSupport.recipe()
        func make(_ images: Tensor, _ ids: [Int64]) throws -> CoalitionTrainer {
            try CoalitionTrainer(config: config, schedulerConfig: ValuationTestSupport.schedulerConfig, recipe: recipe, images: images, ids: ids)
        }
        #expect(throws: ValuationError.emptyData) { try make(Tensor(shape: [0, 1, 4, 4]), []) }
        #expect(throws: ValuationError.imagesDoNotMatchIDs(imageShape: [8, 1, 4, 4], ids: 7)) {
            try make(ValuationTestSupport.images, Array(ValuationTestSupport.ids.dropLast()))
        }
        #expect(throws: ValuationError.imageShapeMismatch(found: [2, 4, 2], expected: [1, 4, 4])) {
            try make(ValuationTestSupport.images.reshaped([8, 2, 4, 2]), ValuationTestSupport.ids)
        }
        #expect(throws: ValuationError.duplicateExampleID(100)) { try make(ValuationTestSupport.images, [100] + ValuationTestSupport.ids.dropLast()) }
    }
}

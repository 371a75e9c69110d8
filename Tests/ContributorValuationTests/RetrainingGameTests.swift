import ContributorValuation
import DiffusionModel
import Foundation
import Numerics
import Testing

/// The retraining game: equal to the trainer on all data, deterministic, costed, and strict about errors.
@Suite struct RetrainingGameTests {
    private func game(
        recipe: CoalitionTrainingRecipe = ValuationTestSupport.recipe(), partition: ContributorPartition = ValuationTestSupport.partition,
        measure: @escaping (UNet2DModel) throws -> [Double] = ValuationTestSupport.measure
    ) throws -> RetrainingGame {
        try RetrainingGame(
            config: try ValuationTestSupport.tinyConfig(), schedulerConfig: ValuationTestSupport.schedulerConfig, recipe: recipe,
            images: ValuationTestSupport.images, ids: ValuationTestSupport.ids, partition: partition, measure: measure)
    }

    @Test func theGrandCoalitionTrainsExactlyAsTheTrainerOnAllData() throws {
        let root = try ValuationTestSupport.temporaryFolder()
        defer { ValuationTestSupport.remove(root) }
        let data = root.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try DataShard(images: ValuationTestSupport.images, ids: ValuationTestSupport.ids)
            .write(to: data.appendingPathComponent("shard-00000.safetensors"), asUInt8: false)
        let recipe = ValuationTestSupport.recipe()
        var config = TrainingConfig(model: try ValuationTestSupport.tinyConfig())
        config.batchSize = recipe.batchSize
        config.learningRate = recipe.learningRate
        config.warmupSteps = recipe.warmupSteps
        config.steps = recipe.steps
        config.maxGradNorm = recipe.maxGradNorm
        config.seed = recipe.seed
        config.useEMA = false
        config.checkpointEvery = 100
        #expect(config.schedulerConfig == ValuationTestSupport.schedulerConfig && config.adam == recipe.adam)
        let trainer = try Trainer(config: config, dataFolder: data, runFolder: root.appendingPathComponent("run"), resume: false)
        try trainer.train()

        let measured = MeasuredModels()
        let values = try game(recipe: recipe, measure: measured.recording()).value(ofPlayers: [0, 1, 2, 3])
        #expect(measured.parameters == [trainer.parameters])
        #expect(values == (try ValuationTestSupport.measure(try UNet2DModel(config: config.model, parameters: trainer.parameters))))
    }

    @Test func theSameCoalitionGivesBitIdenticalValues() throws {
        let game = try game()
        let first = try game.value(ofPlayers: [2, 0])
        let again = try game.value(ofPlayers: [0, 2, 0])
        let other = try game.value(ofPlayers: [1, 3])
        #expect(first == again)
        #expect(first != other)
        #expect(try self.game().value(ofPlayers: [0, 2]) == first)
    }

    @Test func theEmptyCoalitionIsTheUntrainedModelAndCostIsCounted() throws {
        let measured = MeasuredModels()
        let game = try game(measure: measured.recording())
        _ = try game.value(ofPlayers: [])
        #expect(measured.parameters == [UNet2DModel(config: try ValuationTestSupport.tinyConfig(), seed: game.recipe.seed).parameters])
        #expect(game.cost.evaluations == 1 && game.cost.trainingSteps == 0 && game.cost.examplesProcessed == 0)

        _ = try game.value(ofPlayers: [3])     // one example: minibatches of 1
        _ = try game.value(ofPlayers: [0, 1])  // five examples: minibatches of 4
        let cost = game.cost
        #expect(cost.evaluations == 3 && cost.trainingSteps == 6 && cost.examplesProcessed == 3 * 1 + 3 * 4)
        #expect(cost.trainingSeconds >= 0 && cost.measuringSeconds >= 0 && cost.totalSeconds == cost.trainingSeconds + cost.measuringSeconds)
    }

    @Test func unknownPlayersAndFailedMeasurementsAreNamed() throws {
        struct Broken: Error, CustomStringConvertible { var description: String { "sampler exploded" } }
        let game = try game(recipe: ValuationTestSupport.recipe(steps: 1), measure: { _ in throw Broken() })
        #expect(throws: ValuationError.unknownPlayer(4, players: 4)) { try game.value(ofPlayers: [1, 4]) }
        #expect(throws: ValuationError.measurementFailed(coalition: [1, 2], reason: "sampler exploded")) {
            try game.value(ofPlayers: [2, 1])
        }
        #expect(game.cost.evaluations == 0)
    }

    @Test func aDivergingCoalitionNamesItsStep() throws {
        var recipe = ValuationTestSupport.recipe(learningRate: 1e30)
        recipe.warmupSteps = 0
        let game = try game(recipe: recipe)
        #expect(throws: ValuationError.nonFiniteLoss(coalition: [0, 1], step: 1)) { try game.value(ofPlayers: [0, 1]) }
    }

    @Test func badSetupsAreRefused() throws {
        let tooLarge = ContributorPartition(contributorOfExample: Array(repeating: 1, count: 9))
        #expect(throws: ValuationError.partitionOutOfRange(example: 8, examples: 8)) { try game(partition: tooLarge) }
        #expect(throws: ValuationError.invalidRecipe(key: "batch_size", value: "0", reason: "must be at least 1")) {
            try game(recipe: ValuationTestSupport.recipe(batchSize: 0))
        }
    }
}

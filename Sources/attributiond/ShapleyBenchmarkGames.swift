import ContributorValuation
import DiffusionModel
import Foundation
import ModelProperties
import Numerics
import Shapley

/// Builds the jobs that evaluate coalitions of the benchmark's games. Every job makes its own
/// game (games keep running costs and are not shareable between threads), evaluates one
/// coalition, and records the values and the seconds it took in the game's memo.
struct ShapleyBenchmarkGames: Sendable {
    /// The data and its players.
    let data: ShapleyBenchmarkData
    /// What every model is measured with.
    let suite: PropertySuite
    /// The model architecture and noise schedule.
    let training: TrainingConfig

    /// A job training a model from scratch with `recipe` on `coalition`'s examples.
    func retrainingJob(_ coalition: Coalition, recipe: CoalitionTrainingRecipe, memo: ShapleyBenchmarkMemo, of total: Int) -> ShapleyBenchmarkLanes.Job {
        { [self] in
            let game = try RetrainingGame(config: training.model, schedulerConfig: training.schedulerConfig, recipe: recipe,
                                          images: data.images, ids: data.ids, partition: data.partition, measure: measure)
            try record(try game.value(ofPlayers: coalition.members), cost: game.cost, coalition: coalition, memo: memo, of: total)
        }
    }

    /// A job fine-tuning `pruned` with `recipe` on `coalition`'s examples.
    func sparsifiedJob(
        _ coalition: Coalition, pruned: PrunedModel, recipe: CoalitionTrainingRecipe, memo: ShapleyBenchmarkMemo, of total: Int
    ) -> ShapleyBenchmarkLanes.Job {
        { [self] in
            let game = try SparsifiedFineTuningGame(pruned: pruned, config: training.model, schedulerConfig: training.schedulerConfig,
                                                    coalition: recipe, images: data.images, ids: data.ids, partition: data.partition,
                                                    measure: measure)
            try record(try game.value(ofPlayers: coalition.members), cost: game.cost, coalition: coalition, memo: memo, of: total)
        }
    }

    /// Every coalition of the players, in increasing mask order.
    var allCoalitions: [Coalition] {
        (0..<(UInt64(1) << UInt64(data.partition.count))).map { Coalition(bits: $0) }
    }

    private func measure(_ model: UNet2DModel) throws -> [Double] { try suite.measure(model) }

    private func record(_ values: [Double], cost: ValuationCost, coalition: Coalition, memo: ShapleyBenchmarkMemo, of total: Int) throws {
        try memo.record(values, for: coalition, cost: cost)
        let done = memo.count
        if done % 8 == 0 || done == total || coalition.count == data.partition.count {
            printProgress(String(format: "  %@: %d/%d coalitions (last %@: %.1f s training + %.1f s measuring)", memo.game, done, total,
                                 coalition.description, cost.trainingSeconds, cost.measuringSeconds))
        }
    }
}

import ContributorValuation

/// The training recipes of the coalition games, from the `[shapley]` settings.
extension DaemonConfiguration.Shapley {
    /// Fine-tuning of the pruned model on all data.
    var recoveryRecipe: CoalitionTrainingRecipe {
        CoalitionTrainingRecipe(steps: recoverySteps, batchSize: batchSize,
                                learningRate: learningRate, seed: seed)
    }

    /// Fine-tuning of the pruned and recovered model on one coalition's data.
    var coalitionRecipe: CoalitionTrainingRecipe {
        CoalitionTrainingRecipe(steps: coalitionSteps, batchSize: batchSize,
                                learningRate: learningRate, seed: seed)
    }

    /// Training from scratch on one coalition's data.
    var retrainingRecipe: CoalitionTrainingRecipe {
        CoalitionTrainingRecipe(steps: retrainingSteps, batchSize: batchSize,
                                learningRate: learningRate, seed: seed)
    }
}

import ContributorValuation
import DiffusionModel
import Foundation
import Testing

/// The recipe's JSON form and its validation.
@Suite struct CoalitionTrainingRecipeTests {
    @Test func roundTripsThroughSnakeCaseJSON() throws {
        let recipe = CoalitionTrainingRecipe(
            steps: 40, batchSize: 16, learningRate: 3e-4, warmupSteps: 5, maxGradNorm: 0.5,
            adam: AdamW.Settings(beta1: 0.9, beta2: 0.99, weightDecay: 0.01, epsilon: 1e-6), seed: 42)
        let json = try JSONEncoder().encode(recipe)
        let keys = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any]).keys
        #expect(Set(keys) == ["steps", "batch_size", "learning_rate", "warmup_steps", "max_grad_norm", "adam_beta1", "adam_beta2",
                              "adam_weight_decay", "adam_epsilon", "seed"])
        #expect(try JSONDecoder().decode(CoalitionTrainingRecipe.self, from: json) == recipe)

        let minimal = try JSONDecoder().decode(
            CoalitionTrainingRecipe.self, from: Data(#"{"steps": 8, "batch_size": 4, "learning_rate": 0.001}"#.utf8))
        #expect(minimal == CoalitionTrainingRecipe(steps: 8, batchSize: 4, learningRate: 0.001))
    }

    @Test func validationNamesTheKey() throws {
        var recipe = CoalitionTrainingRecipe(steps: 8, batchSize: 4, learningRate: 0.001)
        try recipe.validate()
        recipe.steps = -1
        #expect(throws: ValuationError.invalidRecipe(key: "steps", value: "-1", reason: "must not be negative")) { try recipe.validate() }
        recipe.steps = 8
        recipe.learningRate = .infinity
        #expect(throws: ValuationError.invalidRecipe(key: "learning_rate", value: "inf", reason: "must be positive and finite")) {
            try recipe.validate()
        }
        recipe.learningRate = 0.001
        recipe.adam.beta2 = 1
        #expect(throws: ValuationError.invalidRecipe(key: "adam_beta2", value: "1.0", reason: "must lie in [0, 1)")) { try recipe.validate() }
    }
}

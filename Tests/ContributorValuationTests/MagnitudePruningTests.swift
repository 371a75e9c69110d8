import ContributorValuation
import DiffusionModel
import Numerics
import Testing

/// Global magnitude pruning: exact sparsity, largest magnitudes kept, biases and norms untouched.
@Suite struct MagnitudePruningTests {
    @Test func prunesExactlyTheRequestedFractionOfTheSmallestWeights() throws {
        let parameters = UNet2DModel(config: try ValuationTestSupport.tinyConfig(), seed: 5).parameters
        let pruned = try MagnitudePruning(sparsity: 0.6).prune(parameters)

        let prunable = parameters.entries.filter { $0.tensor.rank >= 2 }
        #expect(Set(pruned.masks.keys) == Set(prunable.map(\.name)))
        let total = prunable.reduce(0) { $0 + $1.tensor.count }
        #expect(pruned.prunableCount == total)
        #expect(pruned.prunedCount == Int((0.6 * Double(total)).rounded(.down)))
        #expect(pruned.sparsity == 0.6)

        var largestPruned: Float = 0
        var smallestKept = Float.infinity
        for (name, original) in prunable {
            let mask = try #require(pruned.masks[name])
            let weights = try #require(pruned.parameters[name])
            for index in 0..<original.count {
                if mask.scalars[index] == 0 {
                    #expect(weights.scalars[index] == 0)
                    largestPruned = max(largestPruned, abs(original.scalars[index]))
                } else {
                    #expect(mask.scalars[index] == 1 && weights.scalars[index] == original.scalars[index])
                    smallestKept = min(smallestKept, abs(original.scalars[index]))
                }
            }
        }
        #expect(largestPruned <= smallestKept)
        for (name, tensor) in parameters.entries where tensor.rank < 2 { #expect(pruned.parameters[name] == tensor, "\(name) changed") }
        #expect(pruned.parameters.names == parameters.names)
    }

    @Test func tiesAtTheThresholdArePrunedInParameterOrder() throws {
        let parameters = ParameterSet([
            ("a.weight", Tensor(shape: [2, 2], scalars: [1, -1, 3, 1])),
            ("a.bias", Tensor(shape: [2], scalars: [0.01, 0.02])),
            ("b.weight", Tensor(shape: [1, 3], scalars: [1, 2, -0.5])),
        ])
        // 7 prunable weights → 3 pruned: −0.5, then the first two of the four weights of magnitude 1.
        let pruned = try MagnitudePruning(sparsity: 0.5).prune(parameters)
        #expect(pruned.masks["a.weight"]?.scalars == [0, 0, 1, 1])
        #expect(pruned.masks["b.weight"]?.scalars == [1, 1, 0])
        #expect(pruned.masks["a.bias"] == nil)
        #expect(pruned.parameters["a.weight"]?.scalars == [0, 0, 3, 1])
        #expect(pruned.parameters["b.weight"]?.scalars == [1, 2, 0])
        #expect(pruned.parameters["a.bias"]?.scalars == [0.01, 0.02])
    }

    @Test func zeroSparsityKeepsEveryWeight() throws {
        let parameters = UNet2DModel(config: try ValuationTestSupport.tinyConfig(), seed: 5).parameters
        let pruned = try MagnitudePruning(sparsity: 0).prune(parameters)
        #expect(pruned.prunedCount == 0)
        #expect(pruned.parameters == parameters)
    }

    @Test func sparsityOutsideTheUnitIntervalIsRefused() throws {
        for sparsity in [1, 1.5, -0.1, .infinity] {
            #expect(throws: ValuationError.invalidSparsity(sparsity)) { try MagnitudePruning(sparsity: sparsity) }
        }
        let error = #expect(throws: ValuationError.self) { try MagnitudePruning(sparsity: .nan) }
        guard case .invalidSparsity(let sparsity) = error else { Issue.record("unexpected \(String(describing: error))"); return }
        #expect(sparsity.isNaN)
    }

    @Test func nonFiniteWeightsAreRefused() throws {
        let parameters = ParameterSet([("w", Tensor(shape: [1, 2], scalars: [1, .nan]))])
        #expect(throws: ValuationError.nonFiniteParameters(names: ["w"])) { try MagnitudePruning(sparsity: 0.5).prune(parameters) }
    }
}

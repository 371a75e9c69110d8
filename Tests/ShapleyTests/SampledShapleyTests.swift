@testable import Shapley
import Testing

/// Games of 10 and 12 players: sampling never gathers all their coalitions here, which would
/// turn the estimates exact.
@Suite struct SampledShapleyTests {
    static func sampled(_ game: TestGame, _ sampling: ShapleySampling, samples: Int, seed: UInt64 = 7) throws -> ShapleyEstimates {
        var estimator = try ShapleyEstimator(players: game.players, properties: game.properties, sampling: sampling, seed: seed, resuming: nil)
        var values = CoalitionValues(properties: game.properties)
        return try runFully(&estimator, values: &values, game: game, minSamples: samples)
    }

    @Test(arguments: [ShapleySampling.kernel, .permutation]) func convergesToTheExactValues(sampling: ShapleySampling) throws {
        let game = TestGame.mixed(players: 12)
        let exact = try exactEstimates(game)
        let estimates = try Self.sampled(game, sampling, samples: 2000)
        #expect(estimates.samples == 2000 && estimates.sampling == sampling)
        for property in 0..<3 {
            let total = abs(exact.grandValue[property] - exact.emptyValue[property])
            for player in 0..<12 {
                let error = estimates.standardErrors[property][player]
                #expect(error > 0 && error < 0.05 * total)
                #expect(abs(estimates.values[property][player] - exact.values[property][player]) < 4 * error)
            }
        }
    }

    @Test(arguments: [ShapleySampling.kernel, .permutation]) func standardErrorsAreCalibrated(sampling: ShapleySampling) throws {
        // Over many seeds, about 95% of the estimates lie within 1.96 standard errors of the truth.
        let game = TestGame.mixed(players: 10)
        let exact = try exactEstimates(game)
        var inside = 0
        var total = 0
        for seed in 1...30 {
            let estimates = try Self.sampled(game, sampling, samples: 100, seed: UInt64(seed))
            try #require(estimates.sampling == sampling)
            for property in [0, 2] {
                for player in 0..<10 {
                    let z = (estimates.values[property][player] - exact.values[property][player]) / estimates.standardErrors[property][player]
                    inside += abs(z) <= 1.96 ? 1 : 0
                    total += 1
                }
            }
        }
        let coverage = Double(inside) / Double(total)
        #expect(coverage > 0.9 && coverage < 0.99)
    }

    @Test(arguments: [ShapleySampling.kernel, .permutation]) func standardErrorsShrinkAsOneOverRootSamples(sampling: ShapleySampling) throws {
        let game = TestGame.mixed(players: 12)
        var estimator = try ShapleyEstimator(players: 12, properties: 3, sampling: sampling, seed: 3, resuming: nil)
        var values = CoalitionValues(properties: 3)
        let few = try runFully(&estimator, values: &values, game: game, minSamples: 100)
        let many = try runFully(&estimator, values: &values, game: game, minSamples: 1600)
        #expect(many.samples == 1600 && many.sampling == sampling)
        for property in 0..<3 {
            let ratio = few.standardErrors[property].reduce(0, +) / many.standardErrors[property].reduce(0, +)
            #expect(ratio > 3 && ratio < 5.3, "16 times the samples should divide the errors by about 4, got \(ratio)")
        }
    }

    @Test(arguments: [ShapleySampling.kernel, .permutation]) func valuesAreEfficient(sampling: ShapleySampling) throws {
        for samples in [1, 2, 37] {
            let estimates = try Self.sampled(.mixed(players: 7), sampling, samples: samples)
            for property in 0..<3 {
                let total = estimates.grandValue[property] - estimates.emptyValue[property]
                #expect(abs(estimates.values[property].reduce(0, +) - total) < 1e-12 * max(1, abs(total)))
            }
        }
    }

    @Test func aNullPlayerGetsZero() throws {
        let game = TestGame.mixed(players: 10, null: [4])
        let permutation = try Self.sampled(game, .permutation, samples: 300)
        #expect(permutation.values.allSatisfy { $0[4] == 0 } && permutation.standardErrors.allSatisfy { $0[4] == 0 })
        let kernel = try Self.sampled(game, .kernel, samples: 300)
        for property in 0..<3 {
            #expect(abs(kernel.values[property][4]) <= 3 * kernel.standardErrors[property][4])
            #expect(kernel.standardErrors[property][4] > 0)
        }
    }

    @Test func theAdditiveGameIsRecovered() throws {
        let weights = [1.5, -0.5, 2, 0.25, 0, 3, -1, 0.5, 1, 2.25]
        let permutation = try Self.sampled(.additive(weights), .permutation, samples: 50)
        let kernel = try Self.sampled(.additive(weights), .kernel, samples: 400)
        #expect(permutation.sampling == .permutation && kernel.sampling == .kernel)
        for player in weights.indices {
            #expect(abs(permutation.values[0][player] - weights[player]) < 1e-12)
            #expect(permutation.standardErrors[0][player] < 1e-6)
            #expect(abs(kernel.values[0][player] - weights[player]) < 3 * kernel.standardErrors[0][player] + 1e-12)
        }
    }

    @Test func standardErrorsAreUnknownBeforeTwoSamples() throws {
        for sampling in [ShapleySampling.kernel, .permutation] {
            let none = try Self.sampled(.mixed(players: 5), sampling, samples: 0)
            #expect(none.samples == 0 && none.maxStandardError == .infinity)
            #expect(none.values.enumerated().allSatisfy { property, row in
                row.allSatisfy { $0 == (none.grandValue[property] - none.emptyValue[property]) / 5 }
            })
            #expect(try Self.sampled(.mixed(players: 5), sampling, samples: 1).maxStandardError == .infinity)
            #expect(try Self.sampled(.mixed(players: 5), sampling, samples: 2).maxStandardError.isFinite)
        }
    }
}

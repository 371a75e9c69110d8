@testable import Shapley
import Testing

@Suite struct PermutationSamplingTests {
    @Test func estimatesEqualADirectComputationFromTheOrders() throws {
        // Recompute the run's orders and marginal contributions; mean and two-pass sd/√m.
        let n = 9
        let m = 40
        let game = TestGame.mixed(players: n)
        var estimator = try ShapleyEstimator(players: n, properties: 3, sampling: .permutation, seed: 8, resuming: nil)
        var values = CoalitionValues(properties: 3)
        let estimates = try runFully(&estimator, values: &values, game: game, minSamples: m)
        #expect(estimates.sampling == .permutation && estimates.samples == m)
        let orders = (0..<m).map { PermutationSampling(players: n).draw($0, seed: 8) }
        #expect(orders.allSatisfy { $0.sorted() == Array(0..<n) })
        #expect(Set(orders).count == m)
        for property in 0..<3 {
            var marginals = Array(repeating: [Double](), count: n)
            for order in orders {
                var coalition = Coalition.empty
                for player in order {
                    let before = game(coalition)[property]
                    coalition = coalition.adding(player)
                    marginals[player].append(game(coalition)[property] - before)
                }
            }
            for player in 0..<n {
                let mean = marginals[player].reduce(0, +) / Double(m)
                let variance = marginals[player].reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(m - 1)
                #expect(abs(estimates.values[property][player] - mean) < 1e-12)
                #expect(abs(estimates.standardErrors[property][player] - (variance / Double(m)).squareRoot()) < 1e-9)
            }
        }
    }
}

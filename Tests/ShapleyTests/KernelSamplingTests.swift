@testable import Shapley
import Testing

@Suite struct KernelSamplingTests {
    @Test func estimatesEqualADirectComputationFromThePairs() throws {
        // Recompute the run's pairs, their contributions, b̂, β and Cov(β) = M Σ̂ Mᵀ/m with dense
        // matrices and a two-pass covariance, independently of the running sums.
        let n = 7
        let m = 60
        let game = TestGame.mixed(players: n)
        var estimator = try ShapleyEstimator(players: n, properties: 3, sampling: .kernel, seed: 21, resuming: nil)
        var values = CoalitionValues(properties: 3)
        let estimates = try runFully(&estimator, values: &values, game: game, minSamples: m)
        #expect(estimates.sampling == .kernel && estimates.samples == m)
        let map = KernelShapleyRegressionTests.denseMap(players: n)
        let sampling = KernelSampling(players: n)
        for property in 0..<3 {
            let empty = game(.empty)[property]
            let contributions = (0..<m).map { sample in
                let coalition = sampling.draw(sample, seed: 21)
                let inside = game(coalition)[property] - empty
                let outside = game(coalition.complement(players: n))[property] - empty
                return (0..<n).map { 0.5 * (coalition.contains($0) ? inside : outside) }
            }
            let mean = (0..<n).map { i in contributions.reduce(0) { $0 + $1[i] } / Double(m) }
            var covariance = Array(repeating: 0.0, count: n * n)
            for row in contributions {
                for i in 0..<n { for j in 0..<n { covariance[i * n + j] += (row[i] - mean[i]) * (row[j] - mean[j]) / Double(m - 1) } }
            }
            let total = game(.grand(players: n))[property] - empty
            let propagated = DenseAlgebra.multiply(DenseAlgebra.multiply(map, covariance, size: n),
                                                   DenseAlgebra.transpose(map, size: n), size: n)
            for i in 0..<n {
                let beta = (0..<n).reduce(0) { $0 + map[i * n + $1] * mean[$1] } + total / Double(n)
                #expect(abs(estimates.values[property][i] - beta) < 1e-12)
                let error = (propagated[i * n + i] / Double(m)).squareRoot()
                #expect(abs(estimates.standardErrors[property][i] - error) < 1e-9 * max(error, 1e-3))
            }
        }
    }
}

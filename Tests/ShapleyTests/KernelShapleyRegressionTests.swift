@testable import Shapley
import Testing

@Suite struct KernelShapleyRegressionTests {
    /// Every coalition other than ∅ and all with its probability under the Shapley kernel
    /// p(z) ∝ (n−1)/(C(n,|z|)·|z|·(n−|z|)), by brute force.
    static func kernelDistribution(players n: Int) -> [(coalition: Coalition, probability: Double)] {
        func binomial(_ n: Int, _ k: Int) -> Double { (0..<k).reduce(1.0) { $0 * Double(n - $1) / Double($1 + 1) } }
        let weighted = (1..<(1 << n) - 1).map { bits -> (coalition: Coalition, probability: Double) in
            let size = bits.nonzeroBitCount
            return (Coalition(bits: UInt64(bits)), Double(n - 1) / (binomial(n, size) * Double(size * (n - size))))
        }
        let total = weighted.reduce(0) { $0 + $1.probability }
        return weighted.map { ($0.coalition, $0.probability / total) }
    }

    /// A = E[zzᵀ] from the brute-force distribution.
    static func bruteForceMatrix(players n: Int) -> [Double] {
        var a = Array(repeating: 0.0, count: n * n)
        for (coalition, probability) in kernelDistribution(players: n) {
            for i in coalition.members { for j in coalition.members { a[i * n + j] += probability } }
        }
        return a
    }

    @Test(arguments: 2...9) func matrixEqualsTheBruteForceExpectation(players n: Int) {
        let regression = KernelShapleyRegression(players: n)
        let a = Self.bruteForceMatrix(players: n)
        #expect(regression.diagonal == 0.5)
        for i in 0..<n {
            for j in 0..<n {
                #expect(abs(a[i * n + j] - (i == j ? regression.diagonal : regression.offDiagonal)) < 1e-14)
            }
        }
        #expect(regression.ridge > 0)
        #expect(abs(regression.sizeProbabilities.reduce(0, +) - 1) < 1e-15)
    }

    @Test func theExactExpectationGivesTheShapleyValues() throws {
        // With b = E[z(v(z) − v(∅))] known exactly, the regression is exact (KernelSHAP's premise).
        let game = TestGame.mixed(players: 6)
        let exact = try exactEstimates(game)
        let regression = KernelShapleyRegression(players: 6)
        for property in 0..<3 {
            var b = Array(repeating: 0.0, count: 6)
            for (coalition, probability) in Self.kernelDistribution(players: 6) {
                let gain = game(coalition)[property] - exact.emptyValue[property]
                for player in coalition.members { b[player] += probability * gain }
            }
            let total = exact.grandValue[property] - exact.emptyValue[property]
            let beta = regression.solve(b: b, total: total)
            for player in 0..<6 { #expect(abs(beta[player] - exact.values[property][player]) < 1e-12) }
        }
    }

    /// M = A⁻¹ − A⁻¹11ᵀA⁻¹/(1ᵀA⁻¹1), the linear part of the constrained solution, densely.
    static func denseMap(players n: Int) -> [Double] {
        let inverse = DenseAlgebra.inverse(bruteForceMatrix(players: n), size: n)
        let inverseOnes = (0..<n).map { i in (0..<n).reduce(0) { $0 + inverse[i * n + $1] } }
        let denominator = inverseOnes.reduce(0, +)
        return (0..<n * n).map { inverse[$0] - inverseOnes[$0 / n] * inverseOnes[$0 % n] / denominator }
    }

    @Test func closedFormSolutionAndVariancesEqualTheDenseFormulas() {
        let n = 7
        let regression = KernelShapleyRegression(players: n)
        let map = Self.denseMap(players: n)
        let b = (0..<n).map { 0.3 * Double($0 * $0 % 5) - 0.4 }
        let total = 1.7
        let dense = (0..<n).map { i in (0..<n).reduce(0) { $0 + map[i * n + $1] * b[$1] } + total / Double(n) }
        for (closed, reference) in zip(regression.solve(b: b, total: total), dense) { #expect(abs(closed - reference) < 1e-12) }
        #expect(abs(regression.solve(b: b, total: total).reduce(0, +) - total) < 1e-12)
        // A covariance G·Gᵀ with an irregular G.
        let g = (0..<n * n).map { Double(($0 * 7 + 3) % 11) / 11 - 0.4 }
        let covariance = DenseAlgebra.multiply(g, DenseAlgebra.transpose(g, size: n), size: n)
        let propagated = DenseAlgebra.multiply(DenseAlgebra.multiply(map, covariance, size: n), DenseAlgebra.transpose(map, size: n), size: n)
        let samples = 40
        for (i, variance) in regression.variances(covariance: covariance, samples: samples).enumerated() {
            #expect(abs(variance - propagated[i * n + i] / Double(samples)) < 1e-12)
        }
    }

    @Test func drawsFollowTheKernelDistribution() {
        let n = 5
        let sampling = KernelSampling(players: n)
        let draws = 20000
        var sizes = Array(repeating: 0, count: n + 1)
        var memberships = Array(repeating: 0, count: n)
        for sample in 0..<draws {
            let coalition = sampling.draw(sample, seed: 42)
            sizes[coalition.count] += 1
            for player in coalition.members { memberships[player] += 1 }
            #expect(sampling.coalitions(of: coalition) == [coalition, coalition.complement(players: n)])
        }
        #expect(sizes[0] == 0 && sizes[n] == 0)
        for size in 1..<n {
            let p = sampling.regression.sizeProbabilities[size]
            #expect(abs(Double(sizes[size]) / Double(draws) - p) < 4 * (p * (1 - p) / Double(draws)).squareRoot())
        }
        for count in memberships { #expect(abs(Double(count) / Double(draws) - 0.5) < 4 * (0.25 / Double(draws)).squareRoot()) }
    }
}

import Evaluation
import Testing

@Suite struct LinearDatamodelingScoreTests {
    @Test func subsetsAreDeterministicDistinctAndHalfSized() {
        let plan = SubsetPlan(examples: 20, count: 8, fraction: 0.5, seed: 3)
        #expect(plan == SubsetPlan(examples: 20, count: 8, fraction: 0.5, seed: 3))
        #expect(plan != SubsetPlan(examples: 20, count: 8, fraction: 0.5, seed: 4))
        for subset in plan.subsets {
            #expect(subset.count == 10)
            #expect(Set(subset).count == 10)
            #expect(subset.allSatisfy { (0..<20).contains($0) })
        }
        #expect(Set(plan.subsets).count > 1)
        #expect(plan.membership[2].filter { $0 }.count == 10)
    }

    @Test func exactAdditiveModelScoresOne() throws {
        // Measurements generated exactly by the sign convention: m_j = −Σ_{i∈S_j} τ_i + noise-free.
        let plan = SubsetPlan(examples: 12, count: 30, fraction: 0.5, seed: 1)
        let scores: [[Double]] = [(0..<12).map { Double($0 % 5) - 2 }, (0..<12).map { Double($0 * $0) / 10 }]
        let measurements = plan.subsets.map { subset in scores.map { sample in 4 - subset.reduce(0.0) { $0 + sample[$1] } } }
        let lds = LinearDatamodelingScore(scores: scores, measurements: measurements, plan: plan)
        #expect(lds.perSample.allSatisfy { $0.map { abs($0 - 1) < 1e-9 } ?? false })
        #expect(abs(lds.interval.mean - 1) < 1e-9)
    }

    @Test func reversedScoresScoreMinusOne() {
        let plan = SubsetPlan(examples: 10, count: 20, fraction: 0.5, seed: 2)
        let scores = [(0..<10).map { Double($0) }]
        let measurements = plan.subsets.map { subset in [subset.reduce(0.0) { $0 + scores[0][$1] }] }
        let lds = LinearDatamodelingScore(scores: scores, measurements: measurements, plan: plan)
        #expect(abs(lds.interval.mean + 1) < 1e-9)
    }

    @Test func bootstrapIntervalBracketsTheMeanAndNarrowsWithMoreData() {
        let few = BootstrapInterval(values: [0.1, 0.5, 0.3, 0.9], seed: 1)
        #expect(few.lower <= few.mean && few.mean <= few.upper)
        let many = BootstrapInterval(values: (0..<400).map { [0.1, 0.5, 0.3, 0.9][$0 % 4] }, seed: 1)
        #expect(many.upper - many.lower < few.upper - few.lower)
        #expect(BootstrapInterval(values: [2, 2, 2]).lower == 2)
    }
}

import ContributorValuation
import Numerics
import Testing

/// Influence-based values against a hand computation, batching of the totals, and refusals.
@Suite struct InfluenceValuationTests {
    /// Samples whose pixels all equal their row number, so a totals closure can tell them apart.
    private static func samples(_ count: Int) -> Tensor {
        Tensor(shape: [count, 1, 2, 2], scalars: (0..<count).flatMap { Array(repeating: Float($0), count: 4) })
    }

    @Test func matchesAHandComputedCase() throws {
        let valuation = try InfluenceValuation(players: 2, trainingExamples: 10)
        // Property 0: u = w·T is [1, 1, −3] for player 0 and [2, −2, 0] for player 1.
        //   player 0: value −(−1)/10 = 0.1; mean −1/3, s² = (16/9 + 16/9 + 64/9)/2 = 16/3, SE √(3·16/3)/10 = 0.4
        //   player 1: value 0; s² = (4 + 4 + 0)/2 = 4, SE √12/10
        // Property 1: u is [3, 1] and [−1, −1]: values −0.4 and 0.2; SE √(2·2)/10 = 0.2 and 0.
        let first = [[2.0, 4], [1, -2], [6, 0]]
        let second = [[3.0, -1], [1, -1]]
        var calls: [Int] = []
        let tableOfBatchSize = [3: first, 2: second]
        let estimates = try valuation.estimate(
            targets: [(Self.samples(3), [0.5, 1, -0.5]), (Self.samples(2), [1, 1])],
            totals: { batch in
                calls.append(batch.shape[0])
                let table = tableOfBatchSize[batch.shape[0]]!
                return (0..<batch.shape[0]).map { table[Int(batch.scalars[$0 * 4])] }
            })
        #expect(calls == [3, 2])
        #expect(estimates.samples == [3, 2])
        #expect(abs(estimates.values[0][0] - 0.1) < 1e-15 && estimates.values[0][1] == 0)
        #expect(abs(estimates.standardErrors[0][0] - 0.4) < 1e-15)
        #expect(abs(estimates.standardErrors[0][1] - 12.0.squareRoot() / 10) < 1e-15)
        #expect(abs(estimates.values[1][0] + 0.4) < 1e-15 && abs(estimates.values[1][1] - 0.2) < 1e-15)
        #expect(abs(estimates.standardErrors[1][0] - 0.2) < 1e-15 && estimates.standardErrors[1][1] == 0)
    }

    @Test func batchingTheTotalsDoesNotChangeTheEstimates() throws {
        let table = [[0.3, -1.2, 4], [2.5, 0.1, -0.7], [-1, 1, 1], [0.2, 0.4, 0.8], [5, -5, 0]]
        let weights = [0.2, -0.1, 0.4, 0.3, -0.6]
        var batchSizes: [Int] = []
        let lookup: (Tensor) -> [[Double]] = { batch in (0..<batch.shape[0]).map { table[Int(batch.scalars[$0 * 4])] } }
        let whole = try InfluenceValuation(players: 3, trainingExamples: 7).estimate(targets: [(Self.samples(5), weights)], totals: lookup)
        let batched = try InfluenceValuation(players: 3, trainingExamples: 7, samplesPerCall: 2).estimate(
            targets: [(Self.samples(5), weights)],
            totals: { batch in
                batchSizes.append(batch.shape[0])
                return lookup(batch)
            })
        #expect(batchSizes == [2, 2, 1])
        #expect(batched == whole)
    }

    @Test func unusableTargetsAndTotalsAreRefused() throws {
        let valuation = try InfluenceValuation(players: 2, trainingExamples: 10)
        let ones: (Tensor) -> [[Double]] = { batch in Array(repeating: [1, 1], count: batch.shape[0]) }
        #expect(throws: ValuationError.invalidInfluenceTarget(property: 0, reason: "a standard error needs at least 2 samples, got 1")) {
            try valuation.estimate(targets: [(Self.samples(1), [1])], totals: ones)
        }
        #expect(throws: ValuationError.invalidInfluenceTarget(property: 1, reason: "samples [3, 1, 2, 2] are not [2, C, H, W]")) {
            try valuation.estimate(targets: [(Self.samples(2), [1, 1]), (Self.samples(3), [1, 1])], totals: ones)
        }
        #expect(throws: ValuationError.influenceTotalsFailed(property: 0, reason: "expected 2 rows of 2 player totals")) {
            try valuation.estimate(targets: [(Self.samples(2), [1, 1])], totals: { _ in [[1, 1, 1], [1, 1, 1]] })
        }
        #expect(throws: ValuationError.influenceTotalsFailed(property: 0, reason: "non-finite totals")) {
            try valuation.estimate(targets: [(Self.samples(2), [1, 1])], totals: { _ in [[1, .nan], [1, 1]] })
        }
        struct Unindexed: Error, CustomStringConvertible { var description: String { "no indexed checkpoint" } }
        #expect(throws: ValuationError.influenceTotalsFailed(property: 0, reason: "no indexed checkpoint")) {
            try valuation.estimate(targets: [(Self.samples(2), [1, 1])], totals: { _ in throw Unindexed() })
        }
        #expect(throws: ValuationError.invalidInfluenceSettings(reason: "needs at least one training example, got 0")) {
            try InfluenceValuation(players: 2, trainingExamples: 0)
        }
    }
}

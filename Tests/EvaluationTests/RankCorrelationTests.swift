import Evaluation
import Testing

@Suite struct RankCorrelationTests {
    @Test func pearsonOfALinearRelationIsOne() throws {
        let x = [1.0, 2, 3, 4, 5]
        #expect(abs(try #require(RankCorrelation.pearson(x, x.map { 3 * $0 - 7 })) - 1) < 1e-12)
        #expect(abs(try #require(RankCorrelation.pearson(x, x.map { -0.5 * $0 })) + 1) < 1e-12)
    }

    @Test func pearsonMatchesAHandComputedValue() throws {
        // Deviations (−1, 0, 1) and (−1, 1, 0): Σdxdy = 1, Σdx² = Σdy² = 2, so r = 1/2.
        #expect(abs(try #require(RankCorrelation.pearson([1, 2, 3], [1, 3, 2])) - 0.5) < 1e-12)
    }

    @Test func constantSidesHaveNoCorrelation() {
        #expect(RankCorrelation.pearson([1, 1, 1], [1, 2, 3]) == nil)
        #expect(RankCorrelation.spearman([1, 2], [4, 4]) == nil)
        #expect(RankCorrelation.pearson([1], [2]) == nil)
    }

    @Test func ranksAverageTies() {
        #expect(RankCorrelation.ranks([10, 20, 20, 5]) == [2, 3.5, 3.5, 1])
    }

    @Test func spearmanIsInvariantToMonotoneMaps() throws {
        let x = [0.3, -1.2, 4.0, 2.2, 0.0, 7.5]
        let y = x.map { $0 * $0 * $0 + 2 }
        #expect(abs(try #require(RankCorrelation.spearman(x, y)) - 1) < 1e-12)
        // One swapped pair out of six: 1 − 6·Σd²/(n(n²−1)) = 1 − 6·2/210.
        let swapped = [1.0, 2, 3, 5, 4, 6]
        #expect(abs(try #require(RankCorrelation.spearman([1, 2, 3, 4, 5, 6], swapped)) - (1 - 12.0 / 210)) < 1e-12)
    }
}

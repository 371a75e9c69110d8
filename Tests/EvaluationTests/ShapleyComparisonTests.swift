import Evaluation
import Foundation
import Testing

@Suite struct ShapleyComparisonTests {
    private let reference: [Double] = [0.9, -0.2, 0.4, 0.05, -0.6, 0.3, 0.0, 0.15]

    @Test func identicalValuesAgreeCompletely() {
        let comparison = ShapleyComparison(estimate: reference, reference: reference, higherIsBetter: true, topCount: 2)
        #expect(abs((comparison.pearson ?? 0) - 1) < 1e-12)
        #expect(abs((comparison.spearman ?? 0) - 1) < 1e-12)
        #expect(comparison.topAgreement == 1)
    }

    @Test func aMonotoneDistortionKeepsTheRanksButNotTheLinearFit() throws {
        let distorted = reference.map { exp(4 * $0) }
        let comparison = ShapleyComparison(estimate: distorted, reference: reference, higherIsBetter: true, topCount: 2)
        #expect(abs((comparison.spearman ?? 0) - 1) < 1e-12)
        let pearson = try #require(comparison.pearson)
        #expect(pearson < 0.95 && pearson > 0)
        #expect(comparison.topAgreement == 1)
    }

    @Test func reversedValuesDisagreeCompletely() {
        let comparison = ShapleyComparison(estimate: reference.map { -$0 }, reference: reference, higherIsBetter: true, topCount: 2)
        #expect(abs((comparison.pearson ?? 0) + 1) < 1e-12)
        #expect(abs((comparison.spearman ?? 0) + 1) < 1e-12)
        #expect(comparison.topAgreement == 0)
    }

    @Test func topAgreementCountsTheSharedTopPlayers() {
        // Reference top-3 (higher better): players 0, 2, 5. The estimate's top-3: 7, 0, 2.
        var estimate = reference
        estimate[7] = 2
        let comparison = ShapleyComparison(estimate: estimate, reference: reference, higherIsBetter: true, topCount: 2)
        #expect(comparison.topAgreement == 0.5)
        #expect(ShapleyComparison(estimate: estimate, reference: reference, higherIsBetter: true, topCount: 3).topAgreement == 2.0 / 3)
    }

    @Test func lowerIsBetterRanksTheMostNegativeValuesFirst() {
        #expect(ContributorRanking.mostBeneficial(reference, count: 2, higherIsBetter: false) == [4, 1])
        #expect(ContributorRanking.leastBeneficial(reference, count: 2, higherIsBetter: false) == [0, 2])
        #expect(ContributorRanking.mostBeneficial(reference, count: 2, higherIsBetter: true) == [0, 2])
        #expect(ContributorRanking.leastBeneficial(reference, count: 2, higherIsBetter: true) == [4, 1])
        // The direction changes which players are "top", so an estimate that matches the
        // reference's top in one direction need not in the other.
        var estimate = reference
        estimate[4] = 0.5
        #expect(ShapleyComparison(estimate: estimate, reference: reference, higherIsBetter: false, topCount: 2).topAgreement == 0.5)
        #expect(ShapleyComparison(estimate: estimate, reference: reference, higherIsBetter: true, topCount: 2).topAgreement == 0.5)
        #expect(ShapleyComparison(estimate: estimate, reference: reference, higherIsBetter: true, topCount: 3).topAgreement == 2.0 / 3)
    }

    @Test func tiesAreBrokenByPlayerIndex() {
        let tied = [1.0, 3.0, 3.0, 1.0, 2.0]
        #expect(ContributorRanking.ordered(tied, higherIsBetter: true) == [1, 2, 4, 0, 3])
        #expect(ContributorRanking.ordered(tied, higherIsBetter: false) == [0, 3, 4, 1, 2])
        #expect(ContributorRanking.leastBeneficial(tied, count: 2, higherIsBetter: true) == [3, 0])
    }

    @Test func constantValuesHaveNoCorrelation() {
        let comparison = ShapleyComparison(estimate: Array(repeating: 0.25, count: 8), reference: reference,
                                           higherIsBetter: true, topCount: 2)
        #expect(comparison.pearson == nil)
        #expect(comparison.spearman == nil)
        #expect(comparison.topAgreement == 0.5)  // players 0 and 1 by index; the reference's top is {0, 2}
    }

    @Test func exactShapleyValuesOfAGamePassTheEfficiencyCheck() {
        // A non-additive 4-player game: v(S) = (Σ w)² + 1 when player 3 is in, else Σ w.
        let weights = [0.5, -1.0, 2.0, 0.25]
        func value(_ members: [Int]) -> Double {
            let sum = members.reduce(0.0) { $0 + weights[$1] }
            return members.contains(3) ? sum * sum + 1 : sum
        }
        let shapley = bruteForceShapley(players: 4, value: value)
        let check = EfficiencyCheck(values: shapley, grandValue: value([0, 1, 2, 3]), emptyValue: value([]))
        #expect(abs(check.residual) < 1e-12)
        #expect(check.holds(tolerance: 1e-9))
        var shifted = shapley
        shifted[1] += 0.1
        let broken = EfficiencyCheck(values: shifted, grandValue: value([0, 1, 2, 3]), emptyValue: value([]))
        #expect(abs(broken.residual - 0.1) < 1e-12)
        #expect(abs(broken.relativeResidual - 0.1 / abs(broken.total)) < 1e-12)
        #expect(!broken.holds(tolerance: 0.01))
        #expect(EfficiencyCheck(values: [0.5, -0.5], grandValue: 1, emptyValue: 1).relativeResidual == 0)
        #expect(EfficiencyCheck(values: [0.5], grandValue: 1, emptyValue: 1).relativeResidual == .infinity)
    }

    @Test func counterfactualHarmFollowsThePropertyDirection() throws {
        let loss = CounterfactualOutcome(higherIsBetter: false, full: 0.10, withoutTop: 0.16, withoutBottom: 0.09)
        #expect(abs(loss.harmOfRemovingTop - 0.06) < 1e-12)
        #expect(abs(loss.harmOfRemovingBottom + 0.01) < 1e-12)
        #expect(loss.topRemovalHurtsMore)
        let diversity = CounterfactualOutcome(higherIsBetter: true, full: 1.5, withoutTop: 1.6, withoutBottom: 1.2)
        #expect(abs(diversity.harmOfRemovingTop + 0.1) < 1e-12)
        #expect(abs(diversity.harmOfRemovingBottom - 0.3) < 1e-12)
        #expect(!diversity.topRemovalHurtsMore)

        let json = try JSONEncoder().encode(loss)
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(object["top_removal_hurts_more"] as? Bool == true)
        #expect(try JSONDecoder().decode(CounterfactualOutcome.self, from: json) == loss)
    }

    /// φ_i = Σ_{S ⊆ N∖{i}} |S|!(n−|S|−1)!/n! [v(S∪{i}) − v(S)], straight from the definition.
    private func bruteForceShapley(players: Int, value: ([Int]) -> Double) -> [Double] {
        func factorial(_ k: Int) -> Double { (1...max(k, 1)).reduce(1.0) { $0 * Double($1) } }
        return (0..<players).map { player in
            var total = 0.0
            for mask in 0..<(1 << players) where mask & (1 << player) == 0 {
                let members = (0..<players).filter { mask & (1 << $0) != 0 }
                let weight = factorial(members.count) * factorial(players - members.count - 1) / factorial(players)
                total += weight * (value((members + [player]).sorted()) - value(members))
            }
            return total
        }
    }
}

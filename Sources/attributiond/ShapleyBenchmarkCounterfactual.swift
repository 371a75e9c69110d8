import Evaluation
import Shapley

/// The counterfactual check of the rankings: retrain (with seeds other than the Shapley
/// retraining's) without the top-ranked and without the bottom-ranked contributors of each
/// property, and compare the property with all contributors.
enum ShapleyBenchmarkCounterfactual {
    /// One ranking's removals for one property.
    struct Removal: Sendable {
        /// Index of the property.
        var property: Int
        /// The estimator whose ranking is checked.
        var ranking: String
        /// The most beneficial players, removed in one retraining.
        var top: [Int]
        /// The least beneficial players, removed in another.
        var bottom: [Int]
    }

    /// The removals for every property of each of `rankings`.
    static func plan(rankings: [ShapleyBenchmarkEstimate], higherIsBetter: [Bool], removed: Int) -> [Removal] {
        rankings.flatMap { ranking in
            higherIsBetter.indices.map { property in
                let values = ranking.values[property]
                return Removal(property: property, ranking: ranking.estimator,
                               top: ContributorRanking.mostBeneficial(values, count: removed, higherIsBetter: higherIsBetter[property]),
                               bottom: ContributorRanking.leastBeneficial(values, count: removed, higherIsBetter: higherIsBetter[property]))
            }
        }
    }

    /// The coalitions to retrain: all players, and all but each removal's top or bottom (each once).
    static func coalitions(for plan: [Removal], players: Int) -> [Coalition] {
        let grand = Coalition.grand(players: players)
        var coalitions: Set<Coalition> = [grand]
        for removal in plan {
            coalitions.insert(Coalition(members: removal.top).complement(players: players))
            coalitions.insert(Coalition(members: removal.bottom).complement(players: players))
        }
        return coalitions.sorted()
    }

    /// Each removal's outcome, with the property averaged over the seeds' memos.
    static func outcomes(plan: [Removal], memos: [ShapleyBenchmarkMemo], players: Int, higherIsBetter: [Bool]) throws
        -> [(removal: Removal, outcome: CounterfactualOutcome)] {
        func mean(_ coalition: Coalition, property: Int) throws -> Double {
            var sum = 0.0
            for memo in memos {
                guard let values = memo.values(of: coalition) else {
                    throw ShapleyBenchmarkError.missingCoalition(game: memo.game, coalition: coalition.description)
                }
                sum += values[property]
            }
            return sum / Double(memos.count)
        }
        return try plan.map { removal in
            let p = removal.property
            let outcome = CounterfactualOutcome(
                higherIsBetter: higherIsBetter[p], full: try mean(.grand(players: players), property: p),
                withoutTop: try mean(Coalition(members: removal.top).complement(players: players), property: p),
                withoutBottom: try mean(Coalition(members: removal.bottom).complement(players: players), property: p))
            return (removal, outcome)
        }
    }
}

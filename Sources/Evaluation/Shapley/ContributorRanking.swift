/// Orders contributors by how much they help a property, in the property's own direction.
///
/// A Shapley value φ_c is contributor c's share of `F(all) − F(∅)`. For a property where higher
/// is better (class diversity) the most beneficial contributors have the largest φ; for one where
/// lower is better (a loss, a distance) they have the most negative φ. Ties keep the lower
/// player index first, so the ranking is deterministic.
public enum ContributorRanking {
    /// Player indices from most to least beneficial.
    public static func ordered(_ values: [Double], higherIsBetter: Bool) -> [Int] {
        values.indices.sorted { a, b in
            let (benefitA, benefitB) = higherIsBetter ? (values[a], values[b]) : (-values[a], -values[b])
            return benefitA != benefitB ? benefitA > benefitB : a < b
        }
    }

    /// The `count` most beneficial players, most beneficial first.
    public static func mostBeneficial(_ values: [Double], count: Int, higherIsBetter: Bool) -> [Int] {
        precondition((0...values.count).contains(count), "ranking: \(count) of \(values.count) players")
        return Array(ordered(values, higherIsBetter: higherIsBetter).prefix(count))
    }

    /// The `count` least beneficial players, least beneficial first.
    public static func leastBeneficial(_ values: [Double], count: Int, higherIsBetter: Bool) -> [Int] {
        precondition((0...values.count).contains(count), "ranking: \(count) of \(values.count) players")
        return Array(ordered(values, higherIsBetter: higherIsBetter).suffix(count).reversed())
    }
}

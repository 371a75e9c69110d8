/// How well one estimator's contributor values agree with reference values (retraining-based
/// Shapley values) for one property.
public struct ShapleyComparison: Sendable, Equatable, Codable {
    /// Pearson's correlation of the values; nil when either side is constant.
    public let pearson: Double?
    /// Spearman's rank correlation of the values; nil when either side is constant.
    public let spearman: Double?
    /// How many top players were compared.
    public let topCount: Int
    /// `|top(estimate) ∩ top(reference)| / topCount`, "top" meaning most beneficial in the
    /// property's direction (see ``ContributorRanking``).
    public let topAgreement: Double

    /// Compares `estimate` with `reference` (one value per player, same order).
    public init(estimate: [Double], reference: [Double], higherIsBetter: Bool, topCount: Int) {
        precondition(estimate.count == reference.count, "comparison: \(estimate.count) vs \(reference.count) players")
        precondition(topCount >= 1 && topCount <= reference.count, "comparison: top \(topCount) of \(reference.count) players")
        pearson = RankCorrelation.pearson(estimate, reference)
        spearman = RankCorrelation.spearman(estimate, reference)
        self.topCount = topCount
        let top = Set(ContributorRanking.mostBeneficial(estimate, count: topCount, higherIsBetter: higherIsBetter))
        let referenceTop = Set(ContributorRanking.mostBeneficial(reference, count: topCount, higherIsBetter: higherIsBetter))
        topAgreement = Double(top.intersection(referenceTop).count) / Double(topCount)
    }

    enum CodingKeys: String, CodingKey {
        case pearson, spearman, topCount = "top_count", topAgreement = "top_agreement"
    }
}

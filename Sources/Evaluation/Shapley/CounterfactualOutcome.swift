/// The counterfactual check of a contributor ranking: the property of models retrained on all
/// data, without the top-ranked contributors and without the bottom-ranked ones.
///
/// A ranking is confirmed when removing its most beneficial contributors harms the property
/// more than removing its least beneficial ones.
public struct CounterfactualOutcome: Sendable, Equatable, Codable {
    /// Whether higher values of the property are better.
    public let higherIsBetter: Bool
    /// F of the models trained on all contributors.
    public let full: Double
    /// F without the top-ranked contributors.
    public let withoutTop: Double
    /// F without the bottom-ranked contributors.
    public let withoutBottom: Double

    /// An outcome from the three measured values.
    public init(higherIsBetter: Bool, full: Double, withoutTop: Double, withoutBottom: Double) {
        self.higherIsBetter = higherIsBetter
        self.full = full
        self.withoutTop = withoutTop
        self.withoutBottom = withoutBottom
    }

    /// How much worse the property gets without the top contributors (negative: it improves).
    public var harmOfRemovingTop: Double { harm(withoutTop) }

    /// How much worse the property gets without the bottom contributors (negative: it improves).
    public var harmOfRemovingBottom: Double { harm(withoutBottom) }

    /// Whether removing the top contributors harms the property more than removing the bottom ones.
    public var topRemovalHurtsMore: Bool { harmOfRemovingTop > harmOfRemovingBottom }

    private func harm(_ value: Double) -> Double { higherIsBetter ? full - value : value - full }

    enum CodingKeys: String, CodingKey {
        case higherIsBetter = "higher_is_better", full, withoutTop = "without_top", withoutBottom = "without_bottom"
        case harmOfRemovingTop = "harm_of_removing_top", harmOfRemovingBottom = "harm_of_removing_bottom"
        case topRemovalHurtsMore = "top_removal_hurts_more"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(higherIsBetter: try container.decode(Bool.self, forKey: .higherIsBetter),
                  full: try container.decode(Double.self, forKey: .full),
                  withoutTop: try container.decode(Double.self, forKey: .withoutTop),
                  withoutBottom: try container.decode(Double.self, forKey: .withoutBottom))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(higherIsBetter, forKey: .higherIsBetter)
        try container.encode(full, forKey: .full)
        try container.encode(withoutTop, forKey: .withoutTop)
        try container.encode(withoutBottom, forKey: .withoutBottom)
        try container.encode(harmOfRemovingTop, forKey: .harmOfRemovingTop)
        try container.encode(harmOfRemovingBottom, forKey: .harmOfRemovingBottom)
        try container.encode(topRemovalHurtsMore, forKey: .topRemovalHurtsMore)
    }
}

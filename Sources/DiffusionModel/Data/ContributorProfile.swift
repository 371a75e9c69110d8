/// What one synthetic data contributor tends to supply: most of its images show one of two
/// favourite shapes in its favourite colour family, the rest are drawn from everything.
///
/// The favourites differ between contributors, so contributors' data differ visibly and an
/// attribution to a contributor can be checked against what that contributor supplies.
public struct ContributorProfile: Sendable, Equatable {
    /// Probability that an image shows one of the favourite shapes (otherwise any shape).
    public static let favouriteShapeShare: Float = 0.75
    /// Probability that an image uses the favourite colour family (otherwise any colour).
    public static let favouriteColourShare: Float = 0.8

    /// The contributor's id (its index).
    public let id: Int64
    /// The two favourite shapes (distinct).
    public let favouriteShapes: [GlyphShape]
    /// Index into `GlyphPalette.families`.
    public let colourFamily: Int

    /// The profile of contributor `index`: favourites are consecutive shapes (`index`,
    /// `index + 1 + index / classCount`), so up to `classCount` contributors all differ.
    public init(index: Int) {
        let shapes = GlyphShape.allCases
        let first = index % shapes.count
        var second = (first + 1 + index / shapes.count) % shapes.count
        if second == first { second = (second + 1) % shapes.count }
        self.id = Int64(index)
        self.favouriteShapes = [shapes[first], shapes[second]]
        self.colourFamily = index % GlyphPalette.families.count
    }

    /// A readable, unique name such as `c03-warm-cross-ring`.
    public var name: String {
        let number = id < 10 ? "0\(id)" : "\(id)"
        return "c\(number)-\(GlyphPalette.families[colourFamily].name)-" + favouriteShapes.map(\.name).joined(separator: "-")
    }
}

/// The classes of the synthetic image set: simple shapes that stay recognisable at 16×16, so
/// that which training images an attribution points at can be judged by eye.
public enum GlyphShape: Int, CaseIterable, Sendable {
    case disc, square, triangle, cross, ring, stripes, diagonal, checker

    /// The class name stored in shard metadata.
    public var name: String {
        switch self {
        case .disc: "disc"
        case .square: "square"
        case .triangle: "triangle"
        case .cross: "cross"
        case .ring: "ring"
        case .stripes: "horizontal-stripes"
        case .diagonal: "diagonal"
        case .checker: "checker"
        }
    }

    /// Whether the point `(u, v)` lies inside the shape. Coordinates are relative to the glyph's
    /// centre in units of its radius, `v` pointing down; every shape fits in `[-1, 1]²`.
    public func contains(u: Float, v: Float) -> Bool {
        let (absU, absV) = (abs(u), abs(v))
        switch self {
        case .disc:
            return u * u + v * v <= 1
        case .square:
            return max(absU, absV) <= 0.8
        case .triangle:
            // Apex at the top (v = -0.9), base of half-width 0.95 at v = 0.75.
            return v >= -0.9 && v <= 0.75 && absU <= (v + 0.9) * (0.95 / 1.65)
        case .cross:
            return (absU <= 0.3 && absV <= 0.95) || (absV <= 0.3 && absU <= 0.95)
        case .ring:
            let radiusSquared = u * u + v * v
            return radiusSquared <= 1 && radiusSquared >= 0.5 * 0.5
        case .stripes:
            // Three bars separated by two gaps of equal height.
            return absU <= 0.95 && absV <= 0.95 && Int((v + 0.95) / 0.38) % 2 == 0
        case .diagonal:
            return absU <= 0.95 && absV <= 0.95 && abs(u - v) <= 0.45
        case .checker:
            guard absU <= 0.9, absV <= 0.9 else { return false }
            return (Int((u + 0.9) / 0.6) + Int((v + 0.9) / 0.6)) % 2 == 0
        }
    }
}

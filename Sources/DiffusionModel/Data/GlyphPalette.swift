/// The foreground colours of the synthetic image set, grouped into families that data
/// contributors favour.
public enum GlyphPalette {
    /// A named group of related colours (RGB in 0…1).
    public struct Family: Sendable {
        /// The family's name, used in contributor names.
        public let name: String
        /// Its colours.
        public let colours: [SIMD3<Float>]
    }

    /// The families, in the order contributors are assigned to them.
    public static let families: [Family] = [
        Family(name: "warm", colours: [[0.95, 0.25, 0.2], [1.0, 0.6, 0.15], [0.95, 0.9, 0.25]]),
        Family(name: "cool", colours: [[0.25, 0.45, 1.0], [0.2, 0.85, 0.95], [0.65, 0.35, 0.95]]),
        Family(name: "green", colours: [[0.3, 0.85, 0.3], [0.7, 0.95, 0.35]]),
        Family(name: "pale", colours: [[0.95, 0.95, 0.95], [1.0, 0.55, 0.8]]),
    ]

    /// Every colour of every family.
    public static let allColours: [SIMD3<Float>] = families.flatMap(\.colours)
}

import Numerics

/// A procedural image set with visible structure: coloured shapes (`GlyphShape`) with jittered
/// position, size, colour and brightness on a dark, slightly noisy background, supplied by
/// contributors with different tastes (`ContributorProfile`).
///
/// Every example is a pure function of `(seed, id)`: its random stream is keyed by both, so
/// shards can be generated in any order, in parallel, or again later, with identical results.
public struct SyntheticGlyphs: Sendable {
    /// Image side in pixels.
    public let size: Int
    /// The seed every example's random stream is keyed by.
    public let seed: UInt64
    /// One profile per contributor, indexed by contributor id.
    public let profiles: [ContributorProfile]

    /// One generated training example.
    public struct Example: Sendable {
        /// `[3, size, size]` channels-first, in [-1, 1] on the 8-bit grid (`k / 127.5 - 1`), so
        /// storing it as U8 loses nothing.
        public var image: [Float]
        /// The shape drawn.
        public var shape: GlyphShape
        /// The contributor who supplied it.
        public var contributor: Int64
    }

    /// A generator for `size × size` images from `contributors` contributors.
    public init(size: Int = 16, contributors: Int = 8, seed: UInt64 = 0) {
        precondition(size >= 8, "synthetic images need at least 8×8 pixels, got \(size)")
        precondition(contributors >= 1, "at least one contributor is needed")
        self.size = size
        self.seed = seed
        self.profiles = (0..<contributors).map(ContributorProfile.init(index:))
    }

    /// Class names by label, for shard metadata.
    public static var classNames: [Int64: String] {
        Dictionary(uniqueKeysWithValues: GlyphShape.allCases.map { (Int64($0.rawValue), $0.name) })
    }

    /// Contributor names by id, for shard metadata.
    public var contributorNames: [Int64: String] {
        Dictionary(uniqueKeysWithValues: profiles.map { ($0.id, $0.name) })
    }

    /// The example with id `id`.
    public func example(id: Int64) -> Example {
        var random = SeededGenerator(keys: seed, UInt64(bitPattern: id))
        let profile = Self.pick(profiles, random.nextUniform())
        let shape = random.nextUniform() < ContributorProfile.favouriteShapeShare
            ? Self.pick(profile.favouriteShapes, random.nextUniform())
            : Self.pick(GlyphShape.allCases, random.nextUniform())
        let colour = random.nextUniform() < ContributorProfile.favouriteColourShare
            ? Self.pick(GlyphPalette.families[profile.colourFamily].colours, random.nextUniform())
            : Self.pick(GlyphPalette.allColours, random.nextUniform())
        let foreground = colour * (0.8 + 0.2 * random.nextUniform())
        let centre = SIMD2<Float>(0.5 + 0.3 * (random.nextUniform() - 0.5), 0.5 + 0.3 * (random.nextUniform() - 0.5))
        let radius = 0.24 + 0.1 * random.nextUniform()
        let grey = 0.02 + 0.1 * random.nextUniform()
        let background = SIMD3<Float>(repeating: grey) + 0.02 * SIMD3(random.nextUniform(), random.nextUniform(), random.nextUniform())

        let coverage = GlyphRasterizer.coverage(of: shape, size: size, centre: centre, radius: radius)
        let plane = size * size
        var image = [Float](repeating: 0, count: 3 * plane)
        for pixel in 0..<plane {
            let mixed = background + (foreground - background) * coverage[pixel]
            for channel in 0..<3 {
                let noisy = mixed[channel] + 0.02 * random.nextNormal()
                image[channel * plane + pixel] = (min(max(noisy, 0), 1) * 255).rounded() / 127.5 - 1
            }
        }
        return Example(image: image, shape: shape, contributor: profile.id)
    }

    /// The examples with ids in `ids` as a shard with labels, contributors and name tables.
    public func shard(ids: Range<Int64>) throws(DataShardError) -> DataShard {
        let examples = ids.map(example(id:))
        return try DataShard(
            images: Tensor(shape: [examples.count, 3, size, size], scalars: examples.flatMap(\.image)),
            ids: Array(ids),
            contributors: examples.map(\.contributor),
            labels: examples.map { Int64($0.shape.rawValue) },
            contributorNames: contributorNames,
            classNames: Self.classNames)
    }

    /// The element a uniform draw in [0, 1) selects, each with equal probability.
    private static func pick<Element>(_ elements: [Element], _ uniform: Float) -> Element {
        elements[min(elements.count - 1, Int(uniform * Float(elements.count)))]
    }
}

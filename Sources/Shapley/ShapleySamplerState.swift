/// Everything needed to continue a sampled Shapley estimate: the running sums of the samples
/// folded in so far.
///
/// Sample `k` is a pure function of `(seed, k)`, so a state restored from these fields and
/// continued gives bit-identical estimates to a run that never stopped.
///
/// Layouts (`p` property, `i`, `j` players, `n` players):
/// - permutation: `sums[p·n + i]` = Σ marginal contributions of player `i`, `squareSums[p·n + i]`
///   = Σ their squares;
/// - kernel: `sums[p·n + i]` = Σ per-pair contributions `b_i`, `squareSums[(p·n + i)·n + j]` =
///   Σ `b_i·b_j` (cross products, for the covariance);
/// - exact: no samples, both arrays empty (the memo alone holds the state of an enumeration).
public struct ShapleySamplerState: Sendable, Equatable {
    /// How coalitions are chosen.
    public let sampling: ShapleySampling
    /// Number of players.
    public let players: Int
    /// Number of properties.
    public let properties: Int
    /// The seed every sample is derived from.
    public let seed: UInt64
    /// Samples (permutations or coalition pairs) folded into the sums.
    public internal(set) var samples: Int
    /// Running sums of the per-sample contributions (layout above).
    public internal(set) var sums: [Double]
    /// Running sums of squares or cross products (layout above).
    public internal(set) var squareSums: [Double]

    /// A state with these fields (e.g. restored from a store), checked for consistency: players in
    /// 1...64 (at most 16 for exact), at least one property, array lengths matching the layout,
    /// finite sums, non-negative sums of squares.
    public init(sampling: ShapleySampling, players: Int, properties: Int, seed: UInt64, samples: Int,
                sums: [Double], squareSums: [Double]) throws(ShapleyError) {
        guard (1...64).contains(players) else { throw .invalidPlayers(players) }
        guard properties >= 1 else { throw .invalidProperties(properties) }
        if sampling == .exact, players > ShapleySampling.exactPlayerLimit {
            throw .tooManyPlayersForExact(players: players, limit: ShapleySampling.exactPlayerLimit)
        }
        guard samples >= 0 else { throw .invalidState(reason: "\(samples) samples") }
        if sampling == .exact, samples != 0 { throw .invalidState(reason: "exact enumeration keeps no samples, found \(samples)") }
        let lengths = Self.lengths(sampling: sampling, players: players, properties: properties)
        guard sums.count == lengths.sums, squareSums.count == lengths.squareSums else {
            throw .invalidState(reason: "\(sampling.rawValue) sampling of \(players) players and \(properties) properties needs "
                + "\(lengths.sums) sums and \(lengths.squareSums) square sums, found \(sums.count) and \(squareSums.count)")
        }
        guard sums.allSatisfy(\.isFinite), squareSums.allSatisfy(\.isFinite) else { throw .invalidState(reason: "non-finite sums") }
        let squares = sampling == .kernel
            ? (0..<properties * players).map { row in squareSums[row * players + row % players] }
            : squareSums
        guard squares.allSatisfy({ $0 >= 0 }) else { throw .invalidState(reason: "a sum of squares is negative") }
        if samples == 0, !(sums + squareSums).allSatisfy({ $0 == 0 }) {
            throw .invalidState(reason: "non-zero sums without samples")
        }
        self.sampling = sampling
        self.players = players
        self.properties = properties
        self.seed = seed
        self.samples = samples
        self.sums = sums
        self.squareSums = squareSums
    }

    /// The state before any sample.
    static func fresh(sampling: ShapleySampling, players: Int, properties: Int, seed: UInt64) throws(ShapleyError) -> Self {
        guard (1...64).contains(players) else { throw .invalidPlayers(players) }
        guard properties >= 1 else { throw .invalidProperties(properties) }
        let lengths = lengths(sampling: sampling, players: players, properties: properties)
        return try Self(sampling: sampling, players: players, properties: properties, seed: seed, samples: 0,
                        sums: Array(repeating: 0, count: lengths.sums),
                        squareSums: Array(repeating: 0, count: lengths.squareSums))
    }

    private static func lengths(sampling: ShapleySampling, players: Int, properties: Int) -> (sums: Int, squareSums: Int) {
        switch sampling {
        case .exact: (0, 0)
        case .permutation: (properties * players, properties * players)
        case .kernel: (properties * players, properties * players * players)
        }
    }
}

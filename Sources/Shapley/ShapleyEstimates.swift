/// Shapley values of every player for every property, with standard errors.
///
/// When the memo lacks F(∅) or F(all players), nothing can be said: grand and empty values, values
/// and standard errors are NaN, NaN and +∞. When those two are known but no sample is (or an exact
/// enumeration is incomplete), every player gets the efficient equal split (F(all) − F(∅)) / n
/// with standard error +∞. Standard errors stay +∞ until two samples are folded in.
public struct ShapleyEstimates: Sendable, Equatable {
    /// Where the values come from: the estimator's sampling, or `.exact` once the memo holds
    /// every coalition of the game (then exact values cost nothing, whatever the sampling).
    public var sampling: ShapleySampling
    /// `values[property][player]`: the Shapley value; Σ over players = grand − empty value.
    public var values: [[Double]]
    /// `standardErrors[property][player]`: 0 for exact enumeration, +∞ while unknown.
    public var standardErrors: [[Double]]
    /// `grandValue[property]`: the value of the coalition of all players.
    public var grandValue: [Double]
    /// `emptyValue[property]`: the value of the empty coalition.
    public var emptyValue: [Double]
    /// Samples (permutations or coalition pairs) the estimate rests on; for exact enumeration,
    /// the coalitions enumerated (2^players) once complete, else 0.
    public var samples: Int
    /// The largest standard error over all properties and players (+∞ while any is unknown).
    public var maxStandardError: Double

    /// Estimates with these values; `maxStandardError` is derived from `standardErrors`.
    public init(sampling: ShapleySampling, values: [[Double]], standardErrors: [[Double]], grandValue: [Double],
                emptyValue: [Double], samples: Int) {
        self.sampling = sampling
        self.values = values
        self.standardErrors = standardErrors
        self.grandValue = grandValue
        self.emptyValue = emptyValue
        self.samples = samples
        self.maxStandardError = standardErrors.joined().reduce(0) { max($0, $1) }
    }

    /// The estimate of a game whose F(∅) or F(all) is not known yet.
    static func unknown(sampling: ShapleySampling, players: Int, properties: Int) -> Self {
        Self(sampling: sampling, values: Array(repeating: Array(repeating: .nan, count: players), count: properties),
             standardErrors: Array(repeating: Array(repeating: .infinity, count: players), count: properties),
             grandValue: Array(repeating: .nan, count: properties), emptyValue: Array(repeating: .nan, count: properties),
             samples: 0)
    }

    /// The estimate without information about single players: the equal split of the total.
    static func equalSplit(sampling: ShapleySampling, bounds: GameBounds, samples: Int) -> Self {
        let players = Double(bounds.players)
        return Self(sampling: sampling,
                    values: bounds.total.map { Array(repeating: $0 / players, count: bounds.players) },
                    standardErrors: Array(repeating: Array(repeating: .infinity, count: bounds.players), count: bounds.total.count),
                    grandValue: bounds.grand, emptyValue: bounds.empty, samples: samples)
    }
}

/// F(∅) and F(all players) of a game, per property: what every estimate is anchored to.
struct GameBounds: Sendable {
    /// Number of players.
    let players: Int
    /// F(∅) per property.
    let empty: [Double]
    /// F(all players) per property.
    let grand: [Double]
    /// F(all) − F(∅) per property: what the values of all players add up to.
    let total: [Double]

    /// The bounds read from `values`, or `nil` while either is missing.
    init?(players: Int, values: CoalitionValues) {
        guard let empty = values[.empty], let grand = values[.grand(players: players)] else { return nil }
        self.players = players
        self.empty = empty
        self.grand = grand
        self.total = zip(grand, empty).map { $0 - $1 }
    }
}

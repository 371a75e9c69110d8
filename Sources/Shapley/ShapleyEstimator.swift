/// Estimates the Shapley values of a game with `players` players and `properties` properties
/// from the values of coalitions, choosing coalitions by exact enumeration, KernelSHAP or
/// permutation sampling; `run` evaluates what is missing, `state` lets a later refresh continue.
///
/// Synchronous: everything runs on the caller's thread, evaluations included.
public struct ShapleyEstimator: Sendable {
    /// The running sums of the samples folded in so far; persist it to continue later.
    public private(set) var state: ShapleySamplerState

    /// Number of players.
    public var players: Int { state.players }
    /// Number of properties.
    public var properties: Int { state.properties }
    /// How coalitions are chosen.
    public var sampling: ShapleySampling { state.sampling }

    /// An estimator that starts afresh, or continues from `resuming` (which must be of the same
    /// sampling, players, properties and seed). Refuses players outside 1...64, no property, and
    /// exact enumeration of more than 16 players.
    public init(players: Int, properties: Int, sampling: ShapleySampling, seed: UInt64,
                resuming: ShapleySamplerState?) throws(ShapleyError) {
        let fresh = try ShapleySamplerState.fresh(sampling: sampling, players: players, properties: properties, seed: seed)
        guard let resuming else {
            state = fresh
            return
        }
        let mismatches = [
            resuming.sampling != sampling ? "sampling \(resuming.sampling.rawValue), not \(sampling.rawValue)" : nil,
            resuming.players != players ? "\(resuming.players) players, not \(players)" : nil,
            resuming.properties != properties ? "\(resuming.properties) properties, not \(properties)" : nil,
            resuming.seed != seed ? "seed \(resuming.seed), not \(seed)" : nil,
        ].compactMap(\.self)
        guard mismatches.isEmpty else { throw .resumeMismatch(reason: "the saved state has " + mismatches.joined(separator: ", ")) }
        state = resuming
    }

    /// The estimate from the samples folded in so far and the coalition values in `values`
    /// (which must hold values of `properties` properties). See `ShapleyEstimates` for what is
    /// reported while F(∅), F(all) or samples are missing. A one-player game needs no sampling:
    /// its value is F(all) − F(∅) with standard error 0. Once `values` holds every coalition of a
    /// game of at most 16 players, the exact values cost nothing and are returned whatever the
    /// sampling (`ShapleyEstimates.sampling` is then `.exact`).
    public func estimates(values: CoalitionValues) -> ShapleyEstimates {
        precondition(values.properties == properties, "the coalition values have \(values.properties) properties, the estimator \(properties)")
        guard let bounds = GameBounds(players: players, values: values) else {
            return .unknown(sampling: sampling, players: players, properties: properties)
        }
        if players == 1, sampling != .exact {
            return ShapleyEstimates(sampling: sampling, values: bounds.total.map { [$0] }, standardErrors: bounds.total.map { _ in [0] },
                                    grandValue: bounds.grand, emptyValue: bounds.empty, samples: state.samples)
        }
        // The memo may also hold coalitions of other games, so a count of 2^n is necessary, not sufficient.
        if players <= ShapleySampling.exactPlayerLimit, values.count >= 1 << players,
           let exact = ExactEnumeration(players: players).estimates(values: values, bounds: bounds) {
            return exact
        }
        switch sampling {
        case .exact: return .equalSplit(sampling: .exact, bounds: bounds, samples: 0)
        case .permutation: return sampledEstimates(PermutationSampling(players: players), bounds: bounds)
        case .kernel: return sampledEstimates(KernelSampling(players: players), bounds: bounds)
        }
    }

    private func sampledEstimates(_ scheme: some SamplingScheme, bounds: GameBounds) -> ShapleyEstimates {
        guard state.samples > 0 else { return .equalSplit(sampling: sampling, bounds: bounds, samples: 0) }
        return scheme.estimates(state: state, bounds: bounds)
    }

    /// Folds sample number `state.samples`, whose coalitions are all in `values`, into the sums.
    mutating func fold<Scheme: SamplingScheme>(_ draw: Scheme.Draw, of scheme: Scheme, bounds: GameBounds, values: CoalitionValues) {
        scheme.accumulate(draw, bounds: bounds, values: values, into: &state)
        state.samples += 1
    }
}

/// Exact Shapley values from all 2^n coalitions:
/// φ_i = Σ_{S ⊆ N∖{i}} |S|!(n−|S|−1)!/n! · (v(S ∪ {i}) − v(S)).
struct ExactEnumeration: Sendable {
    /// Number of players (at most `ShapleySampling.exactPlayerLimit`).
    let players: Int

    /// Every coalition of the game: ∅ and all players first (every estimate is anchored to them),
    /// then the others in increasing mask order.
    var coalitions: [Coalition] {
        let grand = Coalition.grand(players: players)
        return [.empty, grand] + (1..<grand.bits).map(Coalition.init(bits:))
    }

    /// The exact values, or `nil` while a coalition is missing from `values`.
    func estimates(values: CoalitionValues, bounds: GameBounds) -> ShapleyEstimates? {
        let properties = values.properties
        let count = 1 << players
        var table = Array(repeating: 0.0, count: count * properties)
        for mask in 0..<count {
            guard let value = values[Coalition(bits: UInt64(mask))] else { return nil }
            table.replaceSubrange(mask * properties..<(mask + 1) * properties, with: value)
        }
        // |S|!(n−|S|−1)!/n! = 1/(n·C(n−1, |S|)).
        var binomial = 1.0
        let weights = (0..<players).map { size in
            defer { binomial = binomial * Double(players - 1 - size) / Double(size + 1) }
            return 1 / (Double(players) * binomial)
        }
        var shapley = Array(repeating: Array(repeating: 0.0, count: players), count: properties)
        for mask in 0..<count - 1 {  // the last mask, all players, has no one left to join
            let weight = weights[mask.nonzeroBitCount]
            for player in 0..<players where mask & (1 << player) == 0 {
                let joined = (mask | 1 << player) * properties
                for property in 0..<properties {
                    shapley[property][player] += weight * (table[joined + property] - table[mask * properties + property])
                }
            }
        }
        return ShapleyEstimates(sampling: .exact, values: shapley,
                                standardErrors: Array(repeating: Array(repeating: 0, count: players), count: properties),
                                grandValue: bounds.grand, emptyValue: bounds.empty, samples: count)
    }
}

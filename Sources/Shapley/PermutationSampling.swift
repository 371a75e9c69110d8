/// Permutation sampling: each sample is a uniformly random order of the players; a player's value
/// is the mean of its marginal contributions F(predecessors ∪ {i}) − F(predecessors), with standard
/// error sd/√m over m orders. The contributions of one order add up to F(all) − F(∅), so the
/// values are efficient up to rounding.
struct PermutationSampling: SamplingScheme {
    /// Number of players.
    let players: Int

    func draw(_ sample: Int, seed: UInt64) -> [Int] {
        var generator = SplitMix64(seed: seed, sample: sample)
        return generator.subset(of: players, count: players)
    }

    func coalitions(of order: [Int]) -> [Coalition] {
        var coalition = Coalition.empty
        return order.dropLast().map { player in
            coalition = coalition.adding(player)
            return coalition
        }
    }

    func accumulate(_ order: [Int], bounds: GameBounds, values: CoalitionValues, into state: inout ShapleySamplerState) {
        let grand = Coalition.grand(players: players)
        var coalition = Coalition.empty
        var previous = bounds.empty
        for player in order {
            coalition = coalition.adding(player)
            let current = coalition == grand ? bounds.grand : values.known(coalition)
            for property in 0..<previous.count {
                let marginal = current[property] - previous[property]
                state.sums[property * players + player] += marginal
                state.squareSums[property * players + player] += marginal * marginal
            }
            previous = current
        }
    }

    func estimates(state: ShapleySamplerState, bounds: GameBounds) -> ShapleyEstimates {
        let samples = Double(state.samples)
        var values: [[Double]] = []
        var errors: [[Double]] = []
        for property in 0..<state.properties {
            let range = property * players..<(property + 1) * players
            values.append(range.map { state.sums[$0] / samples })
            errors.append(range.map { index in
                guard state.samples >= 2 else { return .infinity }
                let sum = state.sums[index]
                let variance = (state.squareSums[index] - sum * sum / samples) / (samples - 1)
                return (max(variance, 0) / samples).squareRoot()
            })
        }
        return ShapleyEstimates(sampling: .permutation, values: values, standardErrors: errors,
                                grandValue: bounds.grand, emptyValue: bounds.empty, samples: state.samples)
    }
}

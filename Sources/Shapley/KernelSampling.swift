/// KernelSHAP with paired sampling: each sample is a coalition z drawn from the Shapley kernel
/// together with its complement z̄, contributing b = ½[z(v(z) − v(∅)) + z̄(v(z̄) − v(∅))] (z̄ has
/// the kernel's distribution too, so E[b] = E[z(v(z) − v(∅))]). The values come from the mean b̂
/// through `KernelShapleyRegression`, their standard errors from the sample covariance of the
/// per-pair contributions.
struct KernelSampling: SamplingScheme {
    /// The regression of the game.
    let regression: KernelShapleyRegression
    /// Cumulative size probabilities: P(size ≤ k) at index k.
    private let cumulativeSizes: [Double]

    /// Paired KernelSHAP sampling of a `players`-player game (at least 2 players).
    init(players: Int) {
        regression = KernelShapleyRegression(players: players)
        var sum = 0.0
        cumulativeSizes = regression.sizeProbabilities.map { probability in
            sum += probability
            return sum
        }
    }

    private var players: Int { regression.players }

    func draw(_ sample: Int, seed: UInt64) -> Coalition {
        var generator = SplitMix64(seed: seed, sample: sample)
        let u = generator.unit()
        // P(size ≤ 0) = 0 and P(size ≤ n) = P(size ≤ n−1), so the index is in 1...n−1; `nil` only
        // when rounding leaves P(size ≤ n−1) just below 1 and u above it.
        let size = cumulativeSizes.firstIndex { u < $0 } ?? players - 1
        return Coalition(members: generator.subset(of: players, count: size))
    }

    func coalitions(of coalition: Coalition) -> [Coalition] {
        [coalition, coalition.complement(players: players)]
    }

    func accumulate(_ coalition: Coalition, bounds: GameBounds, values: CoalitionValues, into state: inout ShapleySamplerState) {
        let inside = values.known(coalition)
        let outside = values.known(coalition.complement(players: players))
        var contribution = Array(repeating: 0.0, count: players)
        for property in 0..<inside.count {
            let gainInside = 0.5 * (inside[property] - bounds.empty[property])
            let gainOutside = 0.5 * (outside[property] - bounds.empty[property])
            for player in 0..<players {
                contribution[player] = coalition.contains(player) ? gainInside : gainOutside
            }
            let offset = property * players
            for i in 0..<players {
                state.sums[offset + i] += contribution[i]
                let row = (offset + i) * players
                for j in 0..<players { state.squareSums[row + j] += contribution[i] * contribution[j] }
            }
        }
    }

    func estimates(state: ShapleySamplerState, bounds: GameBounds) -> ShapleyEstimates {
        let samples = Double(state.samples)
        var values: [[Double]] = []
        var errors: [[Double]] = []
        for property in 0..<state.properties {
            let offset = property * players
            let sums = Array(state.sums[offset..<offset + players])
            values.append(regression.solve(b: sums.map { $0 / samples }, total: bounds.total[property]))
            guard state.samples >= 2 else {
                errors.append(Array(repeating: .infinity, count: players))
                continue
            }
            var covariance = Array(repeating: 0.0, count: players * players)
            for i in 0..<players {
                for j in 0..<players {
                    let crossSum = state.squareSums[(offset + i) * players + j]
                    covariance[i * players + j] = (crossSum - sums[i] * sums[j] / samples) / (samples - 1)
                }
            }
            errors.append(regression.variances(covariance: covariance, samples: state.samples).map { max($0, 0).squareRoot() })
        }
        return ShapleyEstimates(sampling: .kernel, values: values, standardErrors: errors,
                                grandValue: bounds.grand, emptyValue: bounds.empty, samples: state.samples)
    }
}

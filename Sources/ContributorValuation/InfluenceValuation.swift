import Numerics

/// Contributor credit from influence scores alone, without training: per property and player, a
/// first-order estimate of how much the player's data moves the property.
///
/// **What the attribution engine provides.** The model minimises the mean training loss
/// `L(θ) = (1/N) Σᵢ ℓ(xᵢ)` over its `N` training examples. The engine's score of example `i` for
/// an image `x̂` under the `loss` measurement is `τ(i, x̂) = ∇ℓ(x̂)ᵀ (H + λI)⁻¹ ∇ℓ(xᵢ)`, with `H`
/// the (K-FAC/EK-FAC) Gauss–Newton of `L`; a positive score means training on `i` lowers `x̂`'s
/// loss. A player's total for `x̂` is `T(x̂, c) = Σ_{i ∈ c} τ(i, x̂)` (the engine's contributor total).
///
/// **What the value estimates.** Removing the set `R` of a player's examples down-weights each
/// by `1/N`, which to first order moves the optimum by `Δθ ≈ (1/N)(H + λI)⁻¹ Σ_{i∈R} ∇ℓ(xᵢ)`.
/// With the property's gradient target `∇F ≈ Σ_j w_j ∇ℓ(x̂_j)`, `F` changes by
/// `∇Fᵀ Δθ ≈ (1/N) Σ_j w_j T(x̂_j, c)`. The value is the opposite of that change:
///
///     value(c) = −(1/N) Σ_j w_j T(x̂_j, c)   ≈   F(all players) − F(all players but c)
///
/// in `F`'s own units, so **positive means the player's data raises F** (good for a property
/// where higher is better, bad for a loss). The linearised game is additive, so this is also
/// its Shapley value; `Σ_c value(c)` approximates `F(all) − F(none)` only as far as the
/// linearisation reaches.
///
/// **Standard error.** With `u_j = w_j T(x̂_j, c)` over the `M` samples treated as independent
/// draws, `value(c) = −(M/N)·mean(u)`, so `SE = √M · s_u / N` with `s_u` the sample standard
/// deviation of `u`. It covers the sampling of the images only, not the error of the influence
/// approximation itself.
///
/// Totals must be one checkpoint's scores: the engine sums scores over checkpoints when several
/// are asked for, so divide such totals by the number of checkpoints.
public struct InfluenceValuation: Sendable, Equatable {
    /// Number of players (columns of the totals).
    public let players: Int
    /// `N`, the number of examples the model was trained on.
    public let trainingExamples: Int
    /// At most this many samples are passed to one call of the totals closure.
    public let samplesPerCall: Int

    /// A valuation for `players` players of a model trained on `trainingExamples` examples.
    public init(players: Int, trainingExamples: Int, samplesPerCall: Int = 32) throws(ValuationError) {
        guard players >= 1 else { throw .invalidInfluenceSettings(reason: "needs at least one player, got \(players)") }
        guard trainingExamples >= 1 else { throw .invalidInfluenceSettings(reason: "needs at least one training example, got \(trainingExamples)") }
        guard samplesPerCall >= 1 else { throw .invalidInfluenceSettings(reason: "samples per call must be at least 1, got \(samplesPerCall)") }
        self.players = players
        self.trainingExamples = trainingExamples
        self.samplesPerCall = samplesPerCall
    }

    /// The value and standard error of every player for every property's gradient target.
    ///
    /// - Parameters:
    ///   - targets: Per property, images `[M, C, H, W]` (M ≥ 2) and one finite weight per image.
    ///   - totals: For a batch of images `[B, C, H, W]`, each image's influence total per player
    ///     (`[B][players]`, as described above).
    public func estimate(
        targets: [(samples: Tensor, weights: [Double])], totals: (Tensor) throws -> [[Double]]
    ) throws(ValuationError) -> InfluenceEstimates {
        var values: [[Double]] = []
        var errors: [[Double]] = []
        for (property, target) in targets.enumerated() {
            let terms = try weightedTotals(property: property, target: target, totals: totals)
            let estimate = (0..<players).map { player in summarise(terms.map { $0[player] }) }
            values.append(estimate.map(\.value))
            errors.append(estimate.map(\.standardError))
        }
        return InfluenceEstimates(values: values, standardErrors: errors, samples: targets.map { $0.weights.count })
    }

    /// `u_j = w_j T(x̂_j, ·)` for every sample of one target, `[M][players]`.
    private func weightedTotals(
        property: Int, target: (samples: Tensor, weights: [Double]), totals: (Tensor) throws -> [[Double]]
    ) throws(ValuationError) -> [[Double]] {
        let (samples, weights) = target
        guard samples.rank == 4, samples.shape[0] == weights.count else {
            throw .invalidInfluenceTarget(property: property, reason: "samples \(samples.shape) are not [\(weights.count), C, H, W]")
        }
        guard weights.count >= 2 else {
            throw .invalidInfluenceTarget(property: property, reason: "a standard error needs at least 2 samples, got \(weights.count)")
        }
        guard weights.allSatisfy(\.isFinite) else { throw .invalidInfluenceTarget(property: property, reason: "non-finite weights") }
        let perSample = samples.count / weights.count
        var terms: [[Double]] = []
        for first in stride(from: 0, to: weights.count, by: samplesPerCall) {
            let rows = first..<min(first + samplesPerCall, weights.count)
            let batch = Tensor(
                shape: [rows.count] + samples.shape.dropFirst(),
                scalars: Array(samples.scalars[(rows.lowerBound * perSample)..<(rows.upperBound * perSample)]))
            let batchTotals: [[Double]]
            do { batchTotals = try totals(batch) } catch { throw .influenceTotalsFailed(property: property, reason: "\(error)") }
            guard batchTotals.count == rows.count, batchTotals.allSatisfy({ $0.count == players }) else {
                throw .influenceTotalsFailed(property: property, reason: "expected \(rows.count) rows of \(players) player totals")
            }
            guard batchTotals.allSatisfy({ $0.allSatisfy(\.isFinite) }) else {
                throw .influenceTotalsFailed(property: property, reason: "non-finite totals")
            }
            for (row, sample) in zip(batchTotals, rows) { terms.append(row.map { weights[sample] * $0 }) }
        }
        return terms
    }

    /// `−Σu/N` and `√M · s_u / N` for one player's terms.
    private func summarise(_ terms: [Double]) -> (value: Double, standardError: Double) {
        let count = Double(terms.count)
        let sum = terms.reduce(0, +)
        let mean = sum / count
        let variance = terms.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (count - 1)
        let scale = Double(trainingExamples)
        return (-sum / scale, (count * variance).squareRoot() / scale)
    }
}

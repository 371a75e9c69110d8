import Numerics

/// One layer's running sums: `Σ ã ãᵀ`, `Σ g̃ g̃ᵀ`, optionally `Σ vec(G̃) vec(G̃)ᵀ`, and counts.
struct LayerFactorSums: Sendable, Equatable {
    /// `kIn`.
    let inputs: Int
    /// `kOut`.
    let outputs: Int
    /// Input rows seen (samples × positions).
    var rows = 0
    /// Samples seen.
    var samples = 0
    /// `Σ ã ãᵀ`, `[kIn, kIn]` row-major.
    var inputSum: [Double]
    /// `Σ g̃ g̃ᵀ`, `[kOut, kOut]` row-major.
    var outputSum: [Double]
    /// `Σ vec(G̃) vec(G̃)ᵀ`, `[D, D]` with `D = kOut·kIn`; empty when untracked.
    var secondMomentSum: [Double]

    /// Empty sums; the second moment is tracked when `D ≤ secondMomentLimit`.
    init(inputs: Int, outputs: Int, secondMomentLimit: Int) {
        self.inputs = inputs
        self.outputs = outputs
        inputSum = [Double](repeating: 0, count: inputs * inputs)
        outputSum = [Double](repeating: 0, count: outputs * outputs)
        let dimension = inputs * outputs
        secondMomentSum = dimension <= secondMomentLimit ? [Double](repeating: 0, count: dimension * dimension) : []
    }

    /// `kOut · kIn`.
    var dimension: Int { inputs * outputs }

    /// Whether the per-sample second moment is kept.
    var tracksSecondMoment: Bool { !secondMomentSum.isEmpty || dimension == 0 }

    /// Adds a batch whose shapes match this layer.
    mutating func add(_ batch: LayerCurvatureBatch) {
        rows += batch.inputs.shape[0]
        samples += batch.samples
        GramAccumulation.add(rowsOf: batch.inputs, into: &inputSum)
        GramAccumulation.add(rowsOf: batch.outputGradients, into: &outputSum)
        if tracksSecondMoment {
            GramAccumulation.add(rowsOf: batch.sampleGradients, into: &secondMomentSum)
        }
    }

    /// Adds another layer's sums of the same shape.
    mutating func merge(_ other: LayerFactorSums) {
        rows += other.rows
        samples += other.samples
        Self.add(other.inputSum, to: &inputSum)
        Self.add(other.outputSum, to: &outputSum)
        Self.add(other.secondMomentSum, to: &secondMomentSum)
    }

    /// `A = Σ ã ãᵀ / rows` (K-FAC expand: every position is a sample of the input distribution).
    var inputFactor: [Double]? { rows > 0 ? inputSum.map { $0 / Double(rows) } : nil }

    /// `S = Σ g̃ g̃ᵀ / samples` (a mean loss over samples; positions are summed, not averaged).
    var outputFactor: [Double]? { samples > 0 ? outputSum.map { $0 / Double(samples) } : nil }

    /// `C = Σ vec(G̃) vec(G̃)ᵀ / samples`: the (projected) GGN block itself, in expectation.
    var secondMoment: [Double]? {
        guard samples > 0, tracksSecondMoment else { return nil }
        return secondMomentSum.map { $0 / Double(samples) }
    }

    private static func add(_ values: [Double], to sum: inout [Double]) {
        precondition(values.count == sum.count, "adding \(values.count) values to a sum of \(sum.count)")
        for index in sum.indices { sum[index] += values[index] }
    }
}

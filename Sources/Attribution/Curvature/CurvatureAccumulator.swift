import Numerics

/// Running sums of the Kronecker factors of every layer, with counts; mergeable, and
/// convertible to and from plain arrays (``CurvatureArrays``) for storage.
///
/// Per layer it sums, in Float64, `Σ ã ãᵀ` `[kIn, kIn]`, `Σ g̃ g̃ᵀ` `[kOut, kOut]` and — when the
/// layer's `D = kOut·kIn` is at most ``secondMomentLimit`` — the second moment
/// `Σ vec(G̃) vec(G̃)ᵀ` `[D, D]` of per-sample gradients. The second moment makes the EK-FAC
/// eigenvalue correction exact for *any* eigenbasis: factors keep changing as shards arrive and
/// old samples are never revisited, so the correction cannot be accumulated in a fixed basis.
/// Its cost is `8·D²` bytes per layer (8 MiB at the default limit).
public struct CurvatureAccumulator: Sendable, Equatable {
    /// Default largest `D = kOut·kIn` whose second moment is kept.
    public static let defaultSecondMomentLimit = 1024

    /// The blocks of the flat gradient vector; one set of sums per block.
    public let layout: GradientLayout
    /// Largest `D` whose second moment is tracked; larger layers fall back to K-FAC in EK-FAC mode.
    public let secondMomentLimit: Int
    var layers: [LayerFactorSums]

    /// Empty sums for every block of `layout`.
    public init(layout: GradientLayout, secondMomentLimit: Int = defaultSecondMomentLimit) {
        precondition(secondMomentLimit >= 0, "second-moment limit must not be negative")
        self.layout = layout
        self.secondMomentLimit = secondMomentLimit
        layers = layout.blocks.map {
            LayerFactorSums(inputs: $0.projectedInputs, outputs: $0.projectedOutputs, secondMomentLimit: secondMomentLimit)
        }
    }

    /// Adds one batch's rows and per-sample gradients to its layer's sums.
    public mutating func add(_ batch: LayerCurvatureBatch) {
        precondition(layers.indices.contains(batch.layer), "layer \(batch.layer) is not in the layout")
        let (kIn, kOut) = (layers[batch.layer].inputs, layers[batch.layer].outputs)
        let rows = batch.inputs.shape.first ?? 0
        precondition(batch.inputs.shape == [rows, kIn], "inputs \(batch.inputs.shape), expected [rows, \(kIn)]")
        precondition(batch.outputGradients.shape == [rows, kOut],
                     "output gradients \(batch.outputGradients.shape), expected [\(rows), \(kOut)]")
        precondition(batch.samples > 0 && rows >= batch.samples, "\(rows) rows cannot hold \(batch.samples) samples")
        precondition(batch.sampleGradients.shape == [batch.samples, kOut * kIn],
                     "sample gradients \(batch.sampleGradients.shape), expected [\(batch.samples), \(kOut * kIn)]")
        layers[batch.layer].add(batch)
    }

    /// Adds everything `other` has seen, as if its batches had been added here.
    public mutating func merge(_ other: CurvatureAccumulator) throws(CurvatureError) {
        guard other.layout == layout else { throw .incompatibleAccumulators("different gradient layouts") }
        guard other.secondMomentLimit == secondMomentLimit else {
            throw .incompatibleAccumulators("second-moment limits \(secondMomentLimit) and \(other.secondMomentLimit)")
        }
        for index in layers.indices { layers[index].merge(other.layers[index]) }
    }

    /// Input rows seen by `layer` (samples × positions).
    public func rows(layer: Int) -> Int { layers[layer].rows }

    /// Samples seen by `layer`.
    public func samples(layer: Int) -> Int { layers[layer].samples }

    /// Whether `layer`'s per-sample second moment is kept (its `D` is within the limit).
    public func tracksSecondMoment(layer: Int) -> Bool { layers[layer].tracksSecondMoment }

    /// `A = Σ ã ãᵀ / rows`, `[kIn, kIn]` row-major; nil before any sample.
    public func inputFactor(layer: Int) -> [Double]? { layers[layer].inputFactor }

    /// `S = Σ g̃ g̃ᵀ / samples`, `[kOut, kOut]` row-major; nil before any sample.
    public func outputFactor(layer: Int) -> [Double]? { layers[layer].outputFactor }

    /// `C = Σ vec(G̃) vec(G̃)ᵀ / samples`, `[D, D]` row-major; nil before any sample or when untracked.
    public func secondMoment(layer: Int) -> [Double]? { layers[layer].secondMoment }
}

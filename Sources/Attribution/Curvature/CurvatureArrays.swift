/// A ``CurvatureAccumulator`` as plain numbers, for a store that knows nothing of the engine.
///
/// Holds the raw sums (not the normalised factors), so restoring and adding more batches gives
/// exactly what one uninterrupted accumulator would. Per layer `l` (in layout order):
/// `inputSums[l]` is `Σ ã ãᵀ` (`kIn²` values, row-major), `outputSums[l]` is `Σ g̃ g̃ᵀ` (`kOut²`),
/// `secondMomentSums[l]` is `Σ vec(G̃) vec(G̃)ᵀ` (`D²` with `D = kOut·kIn`, or empty when
/// `D > secondMomentLimit`).
public struct CurvatureArrays: Sendable, Equatable, Codable {
    /// The layout of these arrays that this build writes and reads.
    public static let currentFormatVersion = 1

    /// Format of these arrays; must equal ``currentFormatVersion`` to be read.
    public var formatVersion: Int
    /// Largest `D` whose second moment is kept.
    public var secondMomentLimit: Int
    /// Input rows seen, per layer.
    public var rowCounts: [Int]
    /// Samples seen, per layer.
    public var sampleCounts: [Int]
    /// `Σ ã ãᵀ` per layer.
    public var inputSums: [[Double]]
    /// `Σ g̃ g̃ᵀ` per layer.
    public var outputSums: [[Double]]
    /// `Σ vec(G̃) vec(G̃)ᵀ` per layer, empty when untracked.
    public var secondMomentSums: [[Double]]

    /// Arrays with every field given (validated only when turned back into an accumulator).
    public init(formatVersion: Int, secondMomentLimit: Int, rowCounts: [Int], sampleCounts: [Int],
                inputSums: [[Double]], outputSums: [[Double]], secondMomentSums: [[Double]]) {
        self.formatVersion = formatVersion
        self.secondMomentLimit = secondMomentLimit
        self.rowCounts = rowCounts
        self.sampleCounts = sampleCounts
        self.inputSums = inputSums
        self.outputSums = outputSums
        self.secondMomentSums = secondMomentSums
    }
}

extension CurvatureAccumulator {
    /// The sums and counts as plain arrays, at ``CurvatureArrays/currentFormatVersion``.
    public var arrays: CurvatureArrays {
        CurvatureArrays(
            formatVersion: CurvatureArrays.currentFormatVersion, secondMomentLimit: secondMomentLimit,
            rowCounts: layers.map(\.rows), sampleCounts: layers.map(\.samples),
            inputSums: layers.map(\.inputSum), outputSums: layers.map(\.outputSum),
            secondMomentSums: layers.map(\.secondMomentSum))
    }

    /// Restores an accumulator over `layout` from stored arrays.
    ///
    /// - Throws: ``CurvatureError`` when the version is unknown, the arrays do not fit the layout,
    ///   counts are inconsistent or a value is not finite.
    public init(layout: GradientLayout, arrays: CurvatureArrays) throws(CurvatureError) {
        guard arrays.formatVersion == CurvatureArrays.currentFormatVersion else {
            throw .unsupportedFormatVersion(arrays.formatVersion)
        }
        guard arrays.secondMomentLimit >= 0 else { throw .invalidSecondMomentLimit(arrays.secondMomentLimit) }
        let expected = layout.blocks.count
        for found in [arrays.rowCounts.count, arrays.sampleCounts.count, arrays.inputSums.count,
                      arrays.outputSums.count, arrays.secondMomentSums.count] where found != expected {
            throw .layerCountMismatch(expected: expected, found: found)
        }
        self.init(layout: layout, secondMomentLimit: arrays.secondMomentLimit)
        for (index, block) in layout.blocks.enumerated() {
            var sums = layers[index]
            let (rows, samples) = (arrays.rowCounts[index], arrays.sampleCounts[index])
            guard rows >= samples, samples >= 0, (rows == 0) == (samples == 0) else {
                throw .invalidCounts(layer: block.layer, rows: rows, samples: samples)
            }
            sums.rows = rows
            sums.samples = samples
            sums.inputSum = try Self.checked(arrays.inputSums[index], count: sums.inputSum.count,
                                             layer: block.layer, array: "inputSums")
            sums.outputSum = try Self.checked(arrays.outputSums[index], count: sums.outputSum.count,
                                              layer: block.layer, array: "outputSums")
            sums.secondMomentSum = try Self.checked(arrays.secondMomentSums[index], count: sums.secondMomentSum.count,
                                                    layer: block.layer, array: "secondMomentSums")
            layers[index] = sums
        }
    }

    private static func checked(_ values: [Double], count: Int, layer: String, array: String) throws(CurvatureError) -> [Double] {
        guard values.count == count else { throw .wrongArraySize(layer: layer, array: array, expected: count, found: values.count) }
        guard values.allSatisfy(\.isFinite) else { throw .nonFiniteValue(layer: layer, array: array) }
        return values
    }
}

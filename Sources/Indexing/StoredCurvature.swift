import Attribution
import AttributionStore
import LMDB

/// Moves a ``CurvatureAccumulator`` in and out of the store's per-layer ``FactorRecord``s.
///
/// Layer `l`'s record holds three float64 arrays, `inputSum` (`Σ ã ãᵀ`), `outputSum` (`Σ g̃ g̃ᵀ`)
/// and `secondMomentSum` (`Σ vec(G̃) vec(G̃)ᵀ`, empty when untracked), and its counts. Sums, not
/// means, are stored, so adding a shard is a merge and never revisits old data.
public enum StoredCurvature {

    /// The accumulator stored for checkpoint `step`, or nil when no factors are stored yet.
    ///
    /// - Throws: ``IndexingError/unusableFactors(step:reason:)`` when the records do not match
    ///   `layout` or are malformed (a missing array, a second-moment limit that is not an
    ///   integer); the store's own error when it cannot be read.
    public static func load<A>(step: UInt64, layout: GradientLayout, store: AttributionStore,
                               in transaction: borrowing Transaction<A>) throws -> CurvatureAccumulator? {
        let records = try store.factors(step: step, in: transaction)
        guard !records.isEmpty else { return nil }
        let problem = { (reason: String) in IndexingError.unusableFactors(step: Int(step), reason: reason) }
        guard records.count == layout.blocks.count,
              records.enumerated().allSatisfy({ $0.offset == Int($0.element.layer) }) else {
            throw problem("\(records.count) factor records for \(layout.blocks.count) layers")
        }
        func doubles(_ record: FactorRecord, _ name: String) throws(IndexingError) -> [Double] {
            guard case .float64(let values)? = record.array(named: name) else { throw problem("layer \(record.layer) lacks \(name)") }
            return values
        }
        // `Int(exactly:)`: a corrupt limit (NaN, huge, fractional) is an error, not a trap.
        guard let limit = try doubles(records[0], "secondMomentLimit").first.flatMap({ Int(exactly: $0) }) else {
            throw problem("the second-moment limit is not an integer")
        }
        let arrays = CurvatureArrays(
            formatVersion: CurvatureArrays.currentFormatVersion, secondMomentLimit: limit,
            rowCounts: records.map { Int($0.rowCount) }, sampleCounts: records.map { Int($0.sampleCount) },
            inputSums: try records.map { try doubles($0, "inputSum") },
            outputSums: try records.map { try doubles($0, "outputSum") },
            secondMomentSums: try records.map { try doubles($0, "secondMomentSum") })
        do { return try CurvatureAccumulator(layout: layout, arrays: arrays) } catch { throw problem("\(error)") }
    }

    /// The curvature of checkpoint `step` under `mode` and `damping`, built from the factors
    /// `transaction` sees: what preconditions a query's gradients.
    ///
    /// - Throws: ``IndexingError/unusableFactors(step:reason:)`` when no factors are stored, they
    ///   are malformed, or they cannot be decomposed; the store's own error when it cannot be read.
    public static func curvature<A>(step: Int, layout: GradientLayout, mode: Curvature.Mode, damping: Curvature.Damping,
                                    store: AttributionStore, in transaction: borrowing Transaction<A>) throws -> Curvature {
        guard let factors = try load(step: UInt64(step), layout: layout, store: store, in: transaction) else {
            throw IndexingError.unusableFactors(step: step, reason: "no factors are stored")
        }
        do { return try Curvature(factors, mode: mode, damping: damping) } catch {
            throw IndexingError.unusableFactors(step: step, reason: "\(error)")
        }
    }

    /// Writes `accumulator` as checkpoint `step`'s factor records.
    static func save(_ accumulator: CurvatureAccumulator, step: UInt64, store: AttributionStore,
                     in transaction: borrowing WriteTransaction) throws {
        let arrays = accumulator.arrays
        for layer in accumulator.layout.blocks.indices {
            try store.putFactor(FactorRecord(
                step: step, layer: UInt32(layer), sampleCount: UInt64(arrays.sampleCounts[layer]),
                rowCount: UInt64(arrays.rowCounts[layer]),
                arrays: [
                    FactorArray(name: "secondMomentLimit", values: .float64([Double(arrays.secondMomentLimit)])),
                    FactorArray(name: "inputSum", values: .float64(arrays.inputSums[layer])),
                    FactorArray(name: "outputSum", values: .float64(arrays.outputSums[layer])),
                    FactorArray(name: "secondMomentSum", values: .float64(arrays.secondMomentSums[layer])),
                ]), in: transaction)
        }
    }
}

import Attribution
import AttributionStore
import LMDB

/// Moves a ``CurvatureAccumulator`` in and out of the store's per-layer ``FactorRecord``s.
///
/// Layer `l`'s record holds three float64 arrays, `inputSum` (`Σ ã ãᵀ`), `outputSum` (`Σ g̃ g̃ᵀ`)
/// and `secondMomentSum` (`Σ vec(G̃) vec(G̃)ᵀ`, empty when untracked), and its counts. Sums, not
/// means, are stored, so adding a shard is a merge and never revisits old data.
enum StoredCurvature {

    /// The accumulator stored for checkpoint `step`, or an empty one when nothing is stored.
    static func load<A>(step: UInt64, layout: GradientLayout, store: AttributionStore,
                        in transaction: borrowing Transaction<A>) throws -> CurvatureAccumulator {
        let records = try store.factors(step: step, in: transaction)
        guard !records.isEmpty else { return CurvatureAccumulator(layout: layout) }
        guard records.count == layout.blocks.count,
              records.enumerated().allSatisfy({ $0.offset == Int($0.element.layer) }) else {
            throw IndexingError.corruptRecord("checkpoint \(step) has \(records.count) factor records for \(layout.blocks.count) layers")
        }
        func doubles(_ record: FactorRecord, _ name: String) throws -> [Double] {
            guard case .float64(let values)? = record.array(named: name) else {
                throw IndexingError.corruptRecord("factor record \(step)/\(record.layer) lacks \(name)")
            }
            return values
        }
        let arrays = CurvatureArrays(
            formatVersion: CurvatureArrays.currentFormatVersion,
            secondMomentLimit: Int(try doubles(records[0], "secondMomentLimit").first ?? -1),
            rowCounts: records.map { Int($0.rowCount) }, sampleCounts: records.map { Int($0.sampleCount) },
            inputSums: try records.map { try doubles($0, "inputSum") },
            outputSums: try records.map { try doubles($0, "outputSum") },
            secondMomentSums: try records.map { try doubles($0, "secondMomentSum") })
        do { return try CurvatureAccumulator(layout: layout, arrays: arrays) } catch {
            throw IndexingError.corruptRecord("factors of checkpoint \(step): \(error)")
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

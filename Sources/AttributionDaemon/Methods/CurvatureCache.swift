import Attribution
import AttributionStore
import Indexing
import LMDB

/// Each indexed checkpoint's preconditioning curvature, kept between queries: building it reads
/// every layer's factor sums and eigendecomposes them, the same work for every query until the
/// checkpoint's factors change.
///
/// Factors change only in the transaction that also writes a shard's progress record, so a
/// checkpoint's progress (with its indexing time) identifies the factors a snapshot was built from.
struct CurvatureCache {
    /// What a checkpoint's factors were built from.
    struct Version: Equatable {
        let indexedAt: Timestamp?
        let shardsWithFactors: Int
        let examplesIndexed: UInt64

        /// The version of checkpoint `step` as `transaction` sees it.
        init<A>(step: UInt64, store: AttributionStore, in transaction: borrowing Transaction<A>) throws {
            let progress = try store.checkpointProgress(step: step, in: transaction)
            indexedAt = try store.checkpoint(step: step, in: transaction)?.indexedAt
            shardsWithFactors = progress.shardsWithFactors
            examplesIndexed = progress.examplesIndexed
        }
    }

    private struct Entry {
        let step: Int
        let mode: Curvature.Mode
        let damping: Curvature.Damping
        let version: Version
        let curvature: Curvature
    }

    /// The most snapshots kept (the retention policy keeps a few checkpoints; queries name few modes).
    let capacity: Int
    private var entries: [Entry] = []

    /// A cache keeping up to `capacity` snapshots.
    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The curvature of checkpoint `step` under `mode` and `damping`, built from the factors
    /// `transaction` sees unless a snapshot of the same factors is cached.
    ///
    /// - Throws: ``IndexingError/unusableFactors(step:reason:)`` when the stored factors are
    ///   missing or malformed (see ``StoredCurvature``).
    mutating func curvature<A>(step: Int, layout: GradientLayout, mode: Curvature.Mode, damping: Curvature.Damping,
                               store: AttributionStore, in transaction: borrowing Transaction<A>) throws -> Curvature {
        let version = try Version(step: UInt64(step), store: store, in: transaction)
        if let index = entries.firstIndex(where: { $0.step == step && $0.mode == mode && $0.damping == damping }) {
            let entry = entries.remove(at: index)
            if entry.version == version && entry.curvature.layout == layout {
                entries.append(entry)
                return entry.curvature
            }
        }
        let curvature = try StoredCurvature.curvature(step: step, layout: layout, mode: mode, damping: damping,
                                                      store: store, in: transaction)
        if entries.count >= capacity { entries.removeFirst() }
        entries.append(Entry(step: step, mode: mode, damping: damping, version: version, curvature: curvature))
        return curvature
    }

    /// Drops the snapshots of checkpoints not in `steps` (retired or failed since).
    mutating func keep(steps: Set<Int>) {
        entries.removeAll { !steps.contains($0.step) }
    }
}

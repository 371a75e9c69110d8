import Attribution
import AttributionStore
import Foundation
import LMDB
import Numerics

/// The last unit of a checkpoint: once every accepted training shard is indexed at it, its
/// self-influence is refreshed under the final factors, it is marked indexed and the retention
/// policy runs, all in one write transaction with the removal of the finish job.
struct CheckpointFinishing {
    let store: AttributionStore
    let retention: Retention

    /// What finishing did.
    struct Finished {
        /// Examples whose self-influence is stored.
        let examples: Int
        /// Checkpoints the retention policy retired.
        let retired: [UInt64]
    }

    /// The accepted training shards not indexed at `step` yet.
    func missingShards(step: Int) throws -> [ShardRecord] {
        try store.read { transaction in
            try store.shards(in: transaction).filter { $0.status == .accepted && !$0.isHeldOut }
                .filter { try store.progress(step: UInt64(step), shard: $0.ordinal, in: transaction)?.gradientsDone != true }
        }
    }

    /// Refreshes self-influence at `step` (whose model has `layout`), marks it indexed,
    /// completes `job`, drops the checkpoint's failed finish jobs and applies retention.
    func finish(step: Int, path: String, layout: GradientLayout, completing job: UInt64?) throws -> Finished {
        let values = try selfInfluence(step: step, layout: layout)
        let key = UInt64(step)
        return try store.write { transaction in
            if let job { try store.completeJob(sequence: job, in: transaction) }
            for record in values { try store.putSelfInfluence(record, in: transaction) }
            let existing = try store.checkpoint(step: key, in: transaction)
            try store.putCheckpoint(CheckpointRecord(
                step: key, path: path, status: .indexed, registeredAt: existing?.registeredAt ?? .now(), indexedAt: .now()),
                in: transaction)
            try store.removeJobs(in: transaction) { $0.step == key && $0.kind == .finishCheckpoint && $0.state == .failed }
            return Finished(examples: values.count, retired: try retention.apply(store: store, in: transaction))
        }
    }

    /// `gᵀ(H + λI)⁻¹g` of every stored example at `step` under the checkpoint's current factors
    /// (default curvature and damping); none when no factors are stored.
    private func selfInfluence(step: Int, layout: GradientLayout) throws -> [SelfInfluenceRecord] {
        let key = UInt64(step)
        var values: [SelfInfluenceRecord] = []
        try store.read { transaction in
            guard let factors = try StoredCurvature.load(step: key, layout: layout, store: store, in: transaction),
                  factors.samples(layer: 0) > 0 else { return }
            let curvature: Curvature
            do { curvature = try Curvature(factors) } catch { throw IndexingError.unusableFactors(step: step, reason: "\(error)") }
            try store.forEachGradientBlock(steps: [key], in: transaction) { block in
                let rows = Tensor(shape: [block.rows, block.dimension], scalars: (0..<block.rows).flatMap { block.row($0) })
                for (id, value) in zip(block.ids, curvature.selfInfluence(rows)) {
                    values.append(SelfInfluenceRecord(step: key, example: id, value: value))
                }
            }
        }
        return values
    }
}

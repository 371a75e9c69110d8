import Attribution
import AttributionStore
import DiffusionModel
import Foundation
import LMDB
import Numerics

/// The unit of indexing: one shard at one checkpoint. The shard's gradient blocks, its
/// curvature evidence merged into the checkpoint's factors, its progress record and the removal
/// of its job are ONE write transaction, so a crash leaves all of it or none of it, and a unit
/// whose progress says done is never stored twice.
struct ShardIndexing {
    let run: TrainingRun
    let store: AttributionStore
    let settings: IndexSettings

    /// Whether `shard` is already indexed at `step`.
    func isDone(step: Int, shard: UInt32) throws -> Bool {
        try store.read { try store.progress(step: UInt64(step), shard: shard, in: $0)?.gradientsDone == true }
    }

    /// Computes `shard`'s gradients at `checkpoint` (outside any transaction), then stores them
    /// and completes `job` in one transaction.
    ///
    /// - Returns: The examples stored, or `nil` when progress showed the unit done after all.
    /// - Throws: ``IndexingError/unreadableShard(file:reason:)`` or
    ///   ``IndexingError/imageShapeMismatch(file:found:expected:)`` when the shard cannot be
    ///   used with this model; storage errors otherwise.
    func index(_ shard: ShardRecord, at checkpoint: LoadedCheckpoint, completing job: UInt64?) throws -> Int? {
        let url = run.dataFolder.appendingPathComponent(shard.fileName)
        let data: DataShard
        do { data = try DataShard.read(contentsOf: url) } catch {
            throw IndexingError.unreadableShard(file: shard.fileName, reason: "\(error)")
        }
        try checkpoint.checkFits(data.images.shape, file: shard.fileName)
        let engine = checkpoint.engine
        var evidence = CurvatureAccumulator(layout: engine.layout)
        let rows: Tensor
        do { rows = try engine.trainingGradients(images: data.images, ids: data.ids, accumulating: &evidence) } catch {
            throw IndexingError.unreadableShard(file: shard.fileName, reason: "\(error)")
        }
        let step = UInt64(checkpoint.step), dimension = engine.layout.dimension
        return try store.write { transaction in
            if let job { try store.completeJob(sequence: job, in: transaction) }
            if try store.progress(step: step, shard: shard.ordinal, in: transaction)?.gradientsDone == true { return nil }
            for (block, first) in stride(from: 0, to: data.count, by: settings.blockRows).enumerated() {
                let end = min(first + settings.blockRows, data.count)
                try store.putGradientBlock(
                    GradientBlockKey(step: step, shard: shard.ordinal, block: UInt32(block)), ids: Array(data.ids[first..<end]),
                    values: Array(rows.scalars[(first * dimension)..<(end * dimension)]), dimension: dimension,
                    dtype: settings.precision, in: transaction)
            }
            var factors = try StoredCurvature.load(step: step, layout: engine.layout, store: store, in: transaction)
                ?? CurvatureAccumulator(layout: engine.layout)
            try factors.merge(evidence)
            try StoredCurvature.save(factors, step: step, store: store, in: transaction)
            try store.putProgress(ProgressRecord(step: step, shard: shard.ordinal, gradientsDone: true, factorsDone: true,
                                                 examplesIndexed: UInt64(data.count)), in: transaction)
            return data.count
        }
    }
}

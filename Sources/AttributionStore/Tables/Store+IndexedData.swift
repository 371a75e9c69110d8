import LMDB

/// How many records a removal deleted, per table.
public struct RemovedRecords: Sendable, Hashable {
    /// Gradient blocks.
    public var gradientBlocks = 0
    /// Factor records.
    public var factors = 0
    /// Self-influence records.
    public var selfInfluences = 0
    /// Progress records.
    public var progress = 0
    /// Example records.
    public var examples = 0

    /// Nothing removed yet.
    public init() {}
}

extension AttributionStore {
    /// Removes everything indexed at checkpoint `step`: its gradient blocks, factors,
    /// self-influence and progress, as when the checkpoint is retired or fails. The checkpoint's
    /// record stays (its caller sets the status) and so do its jobs.
    @discardableResult
    public func removeIndexedData(step: UInt64, in transaction: borrowing WriteTransaction) throws -> RemovedRecords {
        var removed = RemovedRecords()
        removed.gradientBlocks = try removeGradientBlocks(step: step, in: transaction)
        removed.factors = try removeFactors(step: step, in: transaction)
        removed.selfInfluences = try removeSelfInfluences(step: step, in: transaction)
        removed.progress = try removeProgress(ofCheckpoint: step, in: transaction)
        return removed
    }

    /// Removes what shard `ordinal` contributed at every known checkpoint (gradient blocks,
    /// progress, its examples' self-influence) and its example records, as when an accepted
    /// shard turns out to be unusable. Its evidence already summed into a checkpoint's factors
    /// cannot be taken out and stays. The shard's record stays (its caller sets the status).
    @discardableResult
    public func removeShardData(ordinal: UInt32, in transaction: borrowing WriteTransaction) throws -> RemovedRecords {
        var removed = RemovedRecords()
        let ids = try removeExamples(inShard: ordinal, in: transaction)
        removed.examples = ids.count
        for checkpoint in try checkpoints(in: transaction) {
            removed.gradientBlocks += try removeGradientBlocks(step: checkpoint.step, shard: ordinal, in: transaction)
            if try removeProgress(step: checkpoint.step, shard: ordinal, in: transaction) { removed.progress += 1 }
            for id in ids where try removeSelfInfluence(step: checkpoint.step, example: id, in: transaction) {
                removed.selfInfluences += 1
            }
        }
        return removed
    }
}

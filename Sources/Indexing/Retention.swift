import AttributionStore
import LMDB

/// The retention policy: only the newest checkpoints are kept indexed, older ones are retired
/// and their indexed data deleted (LMDB reuses the freed pages).
///
/// With `keep` = N > 0:
/// - an indexed checkpoint is retired once N newer checkpoints are indexed, so queries always
///   have N indexed checkpoints (or all there are) while newer ones are being indexed;
/// - a checkpoint not indexed yet is retired once N newer live checkpoints exist, without being
///   indexed: a backlog of many checkpoints costs N indexings, not one per checkpoint.
///
/// `keep` = 0 keeps every checkpoint.
struct Retention {
    let keep: Int

    /// The steps to retire among `checkpoints`, ascending.
    func stepsToRetire(_ checkpoints: [CheckpointRecord]) -> [UInt64] {
        guard keep > 0 else { return [] }
        let live = checkpoints.filter { $0.status.isLive }.map(\.step).sorted(by: >)
        let indexed = checkpoints.filter { $0.status == .indexed }.map(\.step).sorted(by: >)
        let keptLive = Set(live.prefix(keep)), keptIndexed = Set(indexed.prefix(keep))
        return checkpoints.filter { checkpoint in
            switch checkpoint.status {
            case .indexed: !keptIndexed.contains(checkpoint.step)
            case .registered, .indexing: !keptLive.contains(checkpoint.step)
            case .failed, .retired: false
            }
        }.map(\.step).sorted()
    }

    /// Whether a new checkpoint at `step` would be retired at once, given the live steps known:
    /// then it is recorded as retired without being loaded.
    func retiresOnArrival(step: UInt64, liveSteps: some Collection<UInt64>) -> Bool {
        keep > 0 && liveSteps.count { $0 > step } >= keep
    }

    /// Retires what the policy says among the store's checkpoints, in `transaction`.
    /// - Returns: The steps retired, ascending.
    func apply(store: AttributionStore, in transaction: borrowing WriteTransaction) throws -> [UInt64] {
        let checkpoints = try store.checkpoints(in: transaction)
        let steps = stepsToRetire(checkpoints)
        for checkpoint in checkpoints where steps.contains(checkpoint.step) {
            try Self.retire(checkpoint, store: store, in: transaction)
        }
        return steps
    }

    /// Marks `checkpoint` retired, deletes its indexed data and drops its jobs.
    static func retire(_ checkpoint: CheckpointRecord, store: AttributionStore, in transaction: borrowing WriteTransaction) throws {
        var record = checkpoint
        record.status = .retired
        try store.putCheckpoint(record, in: transaction)
        try store.removeIndexedData(step: checkpoint.step, in: transaction)
        try store.removeJobs(in: transaction) { $0.step == checkpoint.step }
    }
}

import AttributionProtocol
import AttributionStore

/// The `checkpoints` method: every checkpoint the store knows, with how far indexing got.
enum CheckpointListing {
    /// Each checkpoint by step, with its training shards indexed out of those accepted and the
    /// examples indexed, from its progress records.
    static func list(store: AttributionStore) throws -> CheckpointsResult {
        try store.read { transaction in
            let trainingShards = try store.shards(in: transaction).count { $0.status == .accepted && !$0.isHeldOut }
            return CheckpointsResult(checkpoints: try store.checkpoints(in: transaction).map { record in
                let progress = try store.checkpointProgress(step: record.step, in: transaction)
                return CheckpointInfo(
                    step: Int(record.step), status: name(of: record.status), path: record.path, registeredAt: record.registeredAt.date,
                    indexedAt: record.indexedAt?.date, shardsIndexed: progress.shardsWithGradients, shardsTotal: trainingShards,
                    examples: Int(progress.examplesIndexed), failure: failure(of: record.status))
            })
        }
    }

    /// The protocol's name of a checkpoint status.
    static func name(of status: CheckpointRecord.Status) -> String {
        switch status {
        case .registered: "registered"
        case .indexing: "indexing"
        case .indexed: "indexed"
        case .failed: "failed"
        case .retired: "retired"
        }
    }

    /// Why a failed checkpoint failed.
    static func failure(of status: CheckpointRecord.Status) -> String? {
        if case .failed(let reason) = status { return reason }
        return nil
    }
}

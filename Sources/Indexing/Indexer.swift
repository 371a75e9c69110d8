import Attribution
import AttributionStore
import LMDB
import DiffusionModel
import Foundation
import Numerics

/// Indexes a training run into the store: registers its data shards, then, per checkpoint and
/// per training shard, stores the projected gradient of every example and adds the shard's
/// curvature evidence to the checkpoint's factors, in ONE write transaction per (checkpoint,
/// shard). A crash at any point therefore leaves whole shards indexed or not at all, and the
/// next run continues with exactly the shards that are missing.
///
/// Runs on the caller's thread (the compute lane); not `Sendable`.
public final class Indexer {
    /// The run being indexed.
    public let run: TrainingRun
    /// The store written to.
    public let store: AttributionStore
    /// Engine and storage settings.
    public let settings: IndexSettings
    private let events: (IndexingEvent) -> Void
    private var loaded: LoadedCheckpoint?

    /// An indexer of `run` into `store`, reporting to `events`.
    public init(run: TrainingRun, store: AttributionStore, settings: IndexSettings, events: @escaping (IndexingEvent) -> Void = { _ in }) {
        self.run = run
        self.store = store
        self.settings = settings
        self.events = events
    }

    /// Registers every shard file of the run not registered yet.
    public func registerShards() throws {
        let registration = ShardRegistration(store: store)
        for (url, isHeldOut) in try run.shardFiles() {
            switch try registration.register(url, isHeldOut: isHeldOut) {
            case .accepted(let record):
                events(.shardAccepted(file: record.fileName, examples: Int(record.exampleCount), isHeldOut: isHeldOut))
            case .rejected(let record, let error):
                events(.shardRejected(file: record.fileName, reason: "\(error)"))
            case .alreadyKnown:
                break
            }
        }
    }

    /// Registers new shards, then indexes the checkpoints `steps` (all present ones when nil).
    ///
    /// - Returns: The steps that could not be indexed (each also recorded as failed and reported).
    @discardableResult
    public func index(steps: [Int]? = nil) throws -> [Int] {
        try registerShards()
        var failed: [Int] = []
        for step in try steps ?? run.checkpointSteps() where try !indexCheckpoint(step: step) {
            failed.append(step)
        }
        return failed
    }

    /// Indexes every accepted training shard not yet indexed at `step`, then refreshes the
    /// checkpoint's self-influence and marks it indexed.
    ///
    /// - Returns: `false` when the checkpoint or one of its shards could not be used (recorded as failed).
    public func indexCheckpoint(step: Int) throws -> Bool {
        let key = UInt64(step)
        do {
            let checkpoint = try checkpoint(step: step)
            let shards = try store.read { transaction in
                try store.shards(in: transaction).filter { $0.status == .accepted && !$0.isHeldOut }
                    .filter { try store.progress(step: key, shard: $0.ordinal, in: transaction)?.gradientsDone != true }
            }
            try setStatus(.indexing, step: step)
            events(.checkpointStarted(step: step, pendingShards: shards.count))
            for shard in shards { try indexShard(shard, at: checkpoint) }
            let examples = try refreshSelfInfluence(step: step, layout: checkpoint.engine.layout)
            try setStatus(.indexed, step: step)
            events(.checkpointIndexed(step: step, examples: examples))
            return true
        } catch let error as IndexingError {
            try setStatus(.failed(reason: "\(error)"), step: step)
            events(.checkpointFailed(step: step, reason: "\(error)"))
            return false
        }
    }

    /// Computes and stores one shard at one checkpoint (one transaction).
    private func indexShard(_ shard: ShardRecord, at checkpoint: LoadedCheckpoint) throws {
        let start = ContinuousClock.now
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
        try store.write { transaction in
            for (block, first) in stride(from: 0, to: data.count, by: settings.blockRows).enumerated() {
                let end = min(first + settings.blockRows, data.count)
                try store.putGradientBlock(
                    GradientBlockKey(step: step, shard: shard.ordinal, block: UInt32(block)), ids: Array(data.ids[first..<end]),
                    values: Array(rows.scalars[(first * dimension)..<(end * dimension)]), dimension: dimension,
                    dtype: settings.precision, in: transaction)
            }
            var factors = try StoredCurvature.load(step: step, layout: engine.layout, store: store, in: transaction)
            try factors.merge(evidence)
            try StoredCurvature.save(factors, step: step, store: store, in: transaction)
            try store.putProgress(ProgressRecord(step: step, shard: shard.ordinal, gradientsDone: true, factorsDone: true,
                                                 examplesIndexed: UInt64(data.count)), in: transaction)
        }
        events(.shardIndexed(step: checkpoint.step, file: shard.fileName, examples: data.count,
                             seconds: (ContinuousClock.now - start) / .seconds(1)))
    }

    /// Recomputes `gᵀ(H + λI)⁻¹g` of every stored example at `step` under the checkpoint's
    /// current factors (default curvature and damping); returns the number of examples.
    private func refreshSelfInfluence(step: Int, layout: GradientLayout) throws -> Int {
        let key = UInt64(step)
        var values: [SelfInfluenceRecord] = []
        try store.read { transaction in
            let factors = try StoredCurvature.load(step: key, layout: layout, store: store, in: transaction)
            guard factors.samples(layer: 0) > 0 else { return }
            let curvature: Curvature
            do { curvature = try Curvature(factors) } catch { throw IndexingError.corruptRecord("factors of checkpoint \(step): \(error)") }
            try store.forEachGradientBlock(steps: [key], in: transaction) { block in
                let rows = Tensor(shape: [block.rows, block.dimension], scalars: (0..<block.rows).flatMap { block.row($0) })
                for (id, value) in zip(block.ids, curvature.selfInfluence(rows)) {
                    values.append(SelfInfluenceRecord(step: key, example: id, value: value))
                }
            }
        }
        try store.write { transaction in
            for record in values { try store.putSelfInfluence(record, in: transaction) }
        }
        return values.count
    }

    /// The loaded checkpoint at `step`, reusing the last one.
    private func checkpoint(step: Int) throws(IndexingError) -> LoadedCheckpoint {
        if let loaded, loaded.step == step { return loaded }
        let checkpoint = try LoadedCheckpoint(folder: run.checkpointFolder(step: step), step: step, gradients: settings.gradients)
        loaded = checkpoint
        return checkpoint
    }

    private func setStatus(_ status: CheckpointRecord.Status, step: Int) throws {
        try store.write { transaction in
            let existing = try store.checkpoint(step: UInt64(step), in: transaction)
            try store.putCheckpoint(CheckpointRecord(
                step: UInt64(step), path: run.checkpointFolder(step: step).path, status: status,
                registeredAt: existing?.registeredAt ?? .now(), indexedAt: status == .indexed ? .now() : existing?.indexedAt),
                in: transaction)
        }
    }
}

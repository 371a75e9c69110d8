import Attribution
import AttributionStore
import DiffusionModel
import Foundation
import LMDB
import Numerics

/// Answers attribution queries from the store: takes each sample's measurement gradient at the
/// chosen checkpoints, preconditions it with the checkpoint's stored curvature, and streams the
/// stored training gradients through a scoring session, so memory does not grow with the data.
///
/// Reads only (LMDB readers never block the indexer's writes). Not `Sendable`: use one per task.
public final class Attributor {
    /// The run whose checkpoints hold the models.
    public let run: TrainingRun
    /// The store read from.
    public let store: AttributionStore
    /// The settings the store was indexed with.
    public let settings: IndexSettings
    private var loaded: [Int: LoadedCheckpoint] = [:]

    /// An attributor over `store`, which must have been indexed from `run` with `settings`.
    public init(run: TrainingRun, store: AttributionStore, settings: IndexSettings) {
        self.run = run
        self.store = store
        self.settings = settings
    }

    /// Attributes `query.samples`.
    ///
    /// - Throws: ``IndexingError`` when no or not every selected checkpoint is indexed, a
    ///   checkpoint cannot be loaded, the samples do not fit its model (its channels and
    ///   configured sample size) or its stored curvature is unusable; the store's errors.
    public func attribute(_ query: AttributionQuery) throws -> AttributionResult {
        let steps = try selectedSteps(query.checkpoints)
        let catalog = try store.read { transaction in try ExampleCatalog(store: store, in: transaction) }
        let count = query.samples.shape.first ?? 0
        var preconditioned: [Tensor] = []
        for step in steps {
            let checkpoint = try checkpoint(step: step, query: query)
            try checkpoint.checkSamplesFit(query.samples.shape)
            let gradients = try checkpoint.engine.queryGradients(samples: query.samples)
            let curvature = try store.read { transaction in
                try StoredCurvature.curvature(step: step, layout: checkpoint.engine.layout, mode: query.curvature,
                                              damping: query.damping, store: store, in: transaction)
            }
            preconditioned.append(curvature.precondition(gradients))
        }
        let result: ScoringResult
        if steps.count == 1 {
            var session = try ScoringSession(queries: preconditioned[0], k: query.topK, groups: catalog.groups)
            try scan(steps[0]) { try session.consume($0) }
            result = session.finish()
        } else {
            var session = try CheckpointSumSession(queryCount: count, k: query.topK, groups: catalog.groups)
            for (step, queries) in zip(steps, preconditioned) {
                try session.beginCheckpoint(queries: queries)
                try scan(step) { try session.consume($0) }
            }
            result = session.finish()
        }
        return catalog.describe(result, checkpoints: steps)
    }

    /// Steps of the indexed checkpoints, ascending.
    public func indexedSteps() throws -> [Int] {
        try store.read { transaction in
            try store.checkpoints(in: transaction).filter { $0.status == .indexed }.map { Int($0.step) }
        }.sorted()
    }

    private func selectedSteps(_ selection: CheckpointSelection) throws -> [Int] {
        let indexed = try indexedSteps()
        switch selection {
        case .latest:
            guard let latest = indexed.last else { throw IndexingError.nothingIndexed }
            return [latest]
        case .all:
            guard !indexed.isEmpty else { throw IndexingError.nothingIndexed }
            return indexed
        case .steps(let steps):
            for step in steps where !indexed.contains(step) { throw IndexingError.checkpointNotIndexed(step: step) }
            return steps
        }
    }

    /// Hands every stored block of `step` to `consume` as a scoring view over the mapped memory.
    private func scan(_ step: Int, consume: (Attribution.GradientBlockView) throws -> Void) throws {
        try store.read { transaction in
            try store.forEachGradientBlock(steps: [UInt64(step)], in: transaction) { block in
                try consume(Attribution.GradientBlockView(
                    ids: block.ids, values: block.values, rows: block.rows, dimension: block.dimension,
                    precision: block.dtype == .float16 ? .float16 : .float32))
            }
        }
    }

    private func checkpoint(step: Int, query: AttributionQuery) throws -> LoadedCheckpoint {
        var gradients = settings.gradients
        gradients.measurement = query.measurement
        gradients.queryDraws = query.queryDraws ?? gradients.queryDraws
        if let cached = loaded[step], cached.engine.settings == gradients { return cached }
        let checkpoint = try LoadedCheckpoint(folder: run.checkpointFolder(step: step), step: step, gradients: gradients)
        loaded[step] = checkpoint
        return checkpoint
    }
}

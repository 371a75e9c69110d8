import Attribution
import AttributionProtocol
import AttributionStore
import Indexing
import LMDB
import Numerics

/// Answers attribution queries from the store, keeping between queries what does not change
/// from one to the next: the loaded checkpoint models, the example catalog and each
/// checkpoint's preconditioning curvature. The numbers are those of `Indexing.Attributor`: the
/// same query gradients, curvature and streaming scoring.
///
/// Lives on the query thread and is used by one query at a time; not `Sendable`.
final class CachedAttributor {
    /// The run whose checkpoints hold the models.
    let run: TrainingRun
    /// The store read from.
    let store: AttributionStore
    /// The settings the store was indexed with.
    let settings: IndexSettings
    private var models = QueryModelCache(capacity: 3)
    private var curvatures = CurvatureCache(capacity: 8)
    private var catalog: ExampleCatalog?

    /// An attributor over `store`, indexed from `run` with `settings`.
    init(run: TrainingRun, store: AttributionStore, settings: IndexSettings) {
        self.run = run
        self.store = store
        self.settings = settings
    }

    /// Attributes `query.samples` (`[Q, C, H, W]`) at the checkpoints it selects.
    ///
    /// - Throws: ``QueryError`` when a selected checkpoint is not indexed; `IndexingError` when
    ///   a checkpoint cannot be loaded, the samples do not fit its model or its curvature is
    ///   unusable (``RPCErrorMapping`` gives both their JSON-RPC errors); the store's errors.
    func attribute(_ query: AttributionQuery) throws -> AttributeResult {
        let indexed = try indexedSteps()
        curvatures.keep(steps: Set(indexed))
        let steps = try Self.select(query.checkpoints, indexed: indexed)
        var gradients = settings.gradients
        gradients.measurement = query.measurement
        gradients.queryDraws = query.queryDraws ?? gradients.queryDraws
        var prepared: [(model: LoadedCheckpoint, gradients: Tensor)] = []
        for step in steps {
            let model = try models.model(run: run, step: step, gradients: gradients)
            try model.checkSamplesFit(query.samples.shape)
            prepared.append((model, try model.engine.queryGradients(samples: query.samples)))
        }
        // One snapshot for the rest, so the catalog describes exactly the blocks scanned.
        return try store.read { transaction in
            for step in steps where try store.checkpoint(step: UInt64(step), in: transaction)?.status != .indexed {
                throw QueryError.checkpointNotIndexed(step: step)
            }
            let catalog = try currentCatalog(in: transaction)
            var preconditioned: [Tensor] = []
            for (step, entry) in zip(steps, prepared) {
                let curvature = try curvatures.curvature(
                    step: step, layout: entry.model.engine.layout, mode: query.curvature, damping: query.damping,
                    store: store, in: transaction)
                preconditioned.append(curvature.precondition(entry.gradients))
            }
            let result = try score(preconditioned, steps: steps, k: query.topK, groups: catalog.groups, in: transaction)
            return AttributeResult(catalog.describe(result, checkpoints: steps))
        }
    }

    /// Steps of the indexed checkpoints, ascending.
    func indexedSteps() throws -> [Int] {
        try store.read { transaction in
            try store.checkpoints(in: transaction).filter { $0.status == .indexed }.map { Int($0.step) }
        }.sorted()
    }

    /// The steps `selection` names among the `indexed` ones.
    static func select(_ selection: CheckpointSelection, indexed: [Int]) throws(QueryError) -> [Int] {
        switch selection {
        case .latest:
            guard let latest = indexed.last else { throw .nothingIndexed }
            return [latest]
        case .all:
            guard !indexed.isEmpty else { throw .nothingIndexed }
            return indexed
        case .steps(let steps):
            guard !indexed.isEmpty else { throw .nothingIndexed }
            for step in steps where !indexed.contains(step) { throw .checkpointNotIndexed(step: step) }
            return steps
        }
    }

    /// The catalog of the store as `transaction` sees it, read again only when shards changed.
    private func currentCatalog<A>(in transaction: borrowing Transaction<A>) throws -> ExampleCatalog {
        if let catalog, try catalog.version == ExampleCatalog.Version(store: store, in: transaction) { return catalog }
        let read = try ExampleCatalog(store: store, in: transaction)
        catalog = read
        return read
    }

    /// Streams the stored gradients of `steps` through a scoring session: one checkpoint's
    /// scores directly, several summed.
    private func score<A>(_ queries: [Tensor], steps: [Int], k: Int, groups: ExampleGroups,
                          in transaction: borrowing Transaction<A>) throws -> ScoringResult {
        if steps.count == 1 {
            var session = try ScoringSession(queries: queries[0], k: k, groups: groups)
            try scan(steps[0], in: transaction) { try session.consume($0) }
            return session.finish()
        }
        var session = try CheckpointSumSession(queryCount: queries[0].shape[0], k: k, groups: groups)
        for (step, stepQueries) in zip(steps, queries) {
            try session.beginCheckpoint(queries: stepQueries)
            try scan(step, in: transaction) { try session.consume($0) }
        }
        return session.finish()
    }

    /// Hands every stored block of `step` to `consume` as a scoring view over the mapped memory.
    private func scan<A>(_ step: Int, in transaction: borrowing Transaction<A>,
                         consume: (Attribution.GradientBlockView) throws -> Void) throws {
        try store.forEachGradientBlock(steps: [UInt64(step)], in: transaction) { block in
            try consume(Attribution.GradientBlockView(
                ids: block.ids, values: block.values, rows: block.rows, dimension: block.dimension,
                precision: block.dtype == .float16 ? .float16 : .float32))
        }
    }
}

import Attribution
import AttributionStore
import Foundation
import Indexing
import Numerics
import Testing

/// The stored curvature and the sample-shape check, as queries meet them: missing or corrupt
/// factors and misfit samples are typed errors naming the cause, never a trap.
@Suite struct StoredCurvatureTests {
    /// An indexed run at step 1 with its store, settings and the checkpoint's gradient layout.
    static func indexed() throws -> (IndexingTestRun, AttributionStore, IndexSettings, GradientLayout) {
        let run = try IndexingTestRun.make()
        let (store, settings) = try IndexStoreFolder.open(run.storeFolder(), requested: IndexingTestRun.settings)
        try Indexer(run: run.run, store: store, settings: settings).index(steps: [1])
        let checkpoint = try LoadedCheckpoint(folder: run.run.checkpointFolder(step: 1), step: 1, gradients: settings.gradients)
        return (run, store, settings, checkpoint.engine.layout)
    }

    @Test func missingFactorsLoadAsNothingAndCannotPrecondition() throws {
        let (run, store, _, layout) = try Self.indexed()
        defer { run.remove() }
        let stored = try store.read { try StoredCurvature.load(step: 1, layout: layout, store: store, in: $0) }
        #expect(stored != nil)
        let absent = try store.read { try StoredCurvature.load(step: 7, layout: layout, store: store, in: $0) }
        #expect(absent == nil)
        let error = #expect(throws: IndexingError.self) {
            try store.read { try StoredCurvature.curvature(step: 7, layout: layout, mode: .ekfac, damping: .standard, store: store, in: $0) }
        }
        guard case .unusableFactors(7, let reason)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(reason.contains("no factors"))
    }

    @Test(arguments: [Double.nan, 1e300, 2.5, -1])
    func aCorruptSecondMomentLimitIsAnErrorNotATrap(limit: Double) throws {
        let (run, store, settings, layout) = try Self.indexed()
        defer { run.remove() }
        try store.write { transaction in
            var record = try #require(try store.factors(step: 1, in: transaction).first)
            record.arrays = record.arrays.map { $0.name == "secondMomentLimit" ? FactorArray(name: $0.name, values: .float64([limit])) : $0 }
            try store.putFactor(record, in: transaction)
        }
        let error = #expect(throws: IndexingError.self) {
            try store.read { try StoredCurvature.load(step: 1, layout: layout, store: store, in: $0) }
        }
        guard case .unusableFactors(1, _)? = error else { Issue.record("\(String(describing: error))"); return }
        let attributor = Attributor(run: run.run, store: store, settings: settings)
        #expect(throws: IndexingError.self) { try attributor.attribute(AttributionQuery(samples: IndexingTestRun.samples())) }
    }

    @Test func samplesOfAnotherSizeThanTheModelGeneratesAreRefused() throws {
        let (run, store, settings, _) = try Self.indexed()
        defer { run.remove() }
        let attributor = Attributor(run: run.run, store: store, settings: settings)
        // 16×16 passes the downsampling check, but the model was configured for 8×8 samples.
        let samples = Tensor(shape: [1, 1, 16, 16], scalars: [Float](repeating: 0.1, count: 256))
        let error = #expect(throws: IndexingError.self) { try attributor.attribute(AttributionQuery(samples: samples)) }
        guard case .sampleShapeMismatch(1, let expected, let found)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(expected == "[1, 8, 8]")
        #expect(found == [1, 16, 16])
    }
}

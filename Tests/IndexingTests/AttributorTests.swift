import Attribution
import AttributionStore
import DiffusionModel
import Foundation
import Indexing
import Numerics
import Testing

@Suite struct AttributorTests {
    /// Scores straight from the engine: every shard's gradients and curvature at `step`,
    /// preconditioned queries, dot products; the reference the store-backed path must match.
    static func directScores(run: IndexingTestRun, step: Int, samples: Tensor) throws -> [[Int64: Float]] {
        let checkpoint = try Checkpoint.load(run.run.checkpointFolder(step: step))
        let engine = try GradientEngine(model: checkpoint.samplingModel, scheduler: DDPMScheduler(config: checkpoint.schedulerConfig),
                                        settings: IndexingTestRun.settings.gradients)
        var accumulator = CurvatureAccumulator(layout: engine.layout)
        var ids: [Int64] = []
        var rows: [Float] = []
        for shard in 0..<3 {
            let data = try DataShard.read(contentsOf: run.run.dataFolder.appendingPathComponent(String(format: "shard-%05d.safetensors", shard)))
            var evidence = CurvatureAccumulator(layout: engine.layout)
            rows += try engine.trainingGradients(images: data.images, ids: data.ids, accumulating: &evidence).scalars
            try accumulator.merge(evidence)
            ids += data.ids
        }
        let queries = try Curvature(accumulator).precondition(try engine.queryGradients(samples: samples))
        let products = queries.matmul(Tensor(shape: [ids.count, engine.layout.dimension], scalars: rows), transposeOther: .transposed)
        return (0..<samples.shape[0]).map { query in
            Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, products.scalars[query * ids.count + $0]) })
        }
    }

    /// Indexes every checkpoint of `run` and returns an attributor over the store.
    static func indexedAttributor(_ run: IndexingTestRun) throws -> Attributor {
        let (store, settings) = try IndexStoreFolder.open(run.storeFolder(), requested: IndexingTestRun.settings)
        try Indexer(run: run.run, store: store, settings: settings).index()
        return Attributor(run: run.run, store: store, settings: settings)
    }

    @Test func storedScoresRankingsAndContributorSumsMatchTheEngine() throws {
        let run = try IndexingTestRun.make()
        defer { run.remove() }
        let attributor = try Self.indexedAttributor(run)
        let samples = IndexingTestRun.samples()
        let result = try attributor.attribute(AttributionQuery(samples: samples, topK: 5))
        let reference = try Self.directScores(run: run, step: 2, samples: samples)
        #expect(result.checkpoints == [2] && result.samples.count == 2)

        for (sample, expected) in zip(result.samples, reference) {
            let scale = expected.values.map(abs).max() ?? 1
            let ranked = expected.sorted { $0.value > $1.value }
            #expect(sample.top.map(\.id) == ranked.prefix(5).map(\.key))
            #expect(sample.bottom.map(\.id) == ranked.suffix(5).reversed().map(\.key))
            for example in sample.top + sample.bottom {
                #expect(abs(example.score - (expected[example.id] ?? .nan)) <= 1e-4 * scale)
                #expect(example.contributorName == IndexingTestRun.contributorNames[example.contributor])
                #expect(example.shard == String(format: "shard-%05d.safetensors", Int(example.id) / IndexingTestRun.examplesPerShard))
                #expect(example.row == Int(example.id) % IndexingTestRun.examplesPerShard)
            }
            #expect(sample.contributors.count == 3)
            for contributor in sample.contributors {
                let members = expected.filter { $0.key % 3 == contributor.contributor }
                #expect(contributor.examples == 6)
                #expect(abs(contributor.score - members.values.reduce(0.0) { $0 + Double($1) }) <= 1e-3 * Double(scale))
            }
        }
    }

    @Test func allCheckpointsSumTheirScores() throws {
        let run = try IndexingTestRun.make()
        defer { run.remove() }
        let attributor = try Self.indexedAttributor(run)
        let samples = IndexingTestRun.samples()
        let summed = try attributor.attribute(AttributionQuery(samples: samples, topK: 18, checkpoints: .all))
        #expect(summed.checkpoints == [1, 2])
        let first = try Self.directScores(run: run, step: 1, samples: samples)
        let second = try Self.directScores(run: run, step: 2, samples: samples)
        for (query, sample) in summed.samples.enumerated() {
            let scale = second[query].values.map(abs).max() ?? 1
            for example in sample.top {
                let expected = (first[query][example.id] ?? .nan) + (second[query][example.id] ?? .nan)
                #expect(abs(example.score - expected) <= 2e-4 * scale)
            }
        }
    }

    @Test func unknownCheckpointsAndEmptyStoresAreClearErrors() throws {
        let run = try IndexingTestRun.make()
        defer { run.remove() }
        let (store, settings) = try IndexStoreFolder.open(run.storeFolder(), requested: IndexingTestRun.settings)
        let attributor = Attributor(run: run.run, store: store, settings: settings)
        #expect(throws: IndexingError.self) { try attributor.attribute(AttributionQuery(samples: IndexingTestRun.samples())) }
        try Indexer(run: run.run, store: store, settings: settings).index(steps: [1])
        let error = #expect(throws: IndexingError.self) {
            try attributor.attribute(AttributionQuery(samples: IndexingTestRun.samples(), checkpoints: .steps([2])))
        }
        #expect("\(error.map { "\($0)" } ?? "")".contains("checkpoint 2 is not indexed"))
        #expect(throws: IndexStoreFolderError.self) {
            _ = try IndexStoreFolder.open(run.storeFolder(), requested: IndexSettings(precision: .float16))
        }
    }
}

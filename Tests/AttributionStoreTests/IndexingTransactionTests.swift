import AttributionStore
import LMDB
import Testing

/// Indexing a shard at a checkpoint is one write transaction: blocks, factors and progress
/// become visible together or not at all.
@Suite struct IndexingTransactionTests {
    struct Crash: Error {}

    /// Writes shard `shard`'s blocks at `step`, updates layer 0's factors, then marks the
    /// progress; throws `Crash` just before the progress when `crashBeforeProgress` is set.
    static func indexShard(_ store: AttributionStore, step: UInt64, shard: UInt32, crashBeforeProgress: Bool = false) throws {
        try store.write { transaction in
            for block: UInt32 in 0..<3 {
                let ids = (0..<4).map { Int64(shard) * 100 + Int64(block) * 4 + Int64($0) }
                let values = (0..<4 * 8).map { Float($0) + Float(block) }
                try store.putGradientBlock(GradientBlockKey(step: step, shard: shard, block: block),
                                           ids: ids, values: values, dimension: 8, dtype: .float16, in: transaction)
            }
            let previous = try store.factor(step: step, layer: 0, in: transaction)
            let samples = (previous?.sampleCount ?? 0) + 12
            try store.putFactor(FactorRecord(step: step, layer: 0, sampleCount: samples, rowCount: samples * 16, arrays: [
                FactorArray(name: "A", values: .float64([Double(samples), 1, 1, Double(samples)])),
            ]), in: transaction)
            if crashBeforeProgress { throw Crash() }
            try store.putProgress(ProgressRecord(step: step, shard: shard, gradientsDone: true, factorsDone: true,
                                                 examplesIndexed: 12), in: transaction)
        }
    }

    @Test func aShardThatFailsMidwayLeavesNothing() throws {
        try StoreFixture.withStore { store in
            try Self.indexShard(store, step: 100, shard: 0)
            #expect(throws: Crash.self) { try Self.indexShard(store, step: 100, shard: 1, crashBeforeProgress: true) }
            try store.read { (transaction: borrowing ReadTransaction) throws in
                #expect(try store.progress(step: 100, shard: 1, in: transaction) == nil)
                #expect(try store.gradientBlockCount(step: 100, shard: 1, in: transaction) == 0)
                #expect(try store.factor(step: 100, layer: 0, in: transaction)?.sampleCount == 12)
                let progress = try store.checkpointProgress(step: 100, in: transaction)
                #expect(progress == CheckpointProgress(step: 100, shardsWithGradients: 1, shardsWithFactors: 1, examplesIndexed: 12))
            }
        }
    }

    @Test func resumingIndexesOnlyWhatIsNotDoneAndReopeningSeesIt() throws {
        try StoreFixture.withDirectory { path in
            do {
                let store = try AttributionStore(path: path, engineFingerprint: StoreFixture.fingerprint)
                try Self.indexShard(store, step: 100, shard: 0)
                #expect(throws: Crash.self) { try Self.indexShard(store, step: 100, shard: 1, crashBeforeProgress: true) }
            }
            let store = try AttributionStore(path: path, engineFingerprint: StoreFixture.fingerprint)
            let pending = try store.read { (transaction: borrowing ReadTransaction) throws in
                try (0..<3 as Range<UInt32>).filter { try store.progress(step: 100, shard: $0, in: transaction) == nil }
            }
            #expect(pending == [1, 2])
            for shard in pending { try Self.indexShard(store, step: 100, shard: shard) }
            try store.read { (transaction: borrowing ReadTransaction) throws in
                #expect(try store.factor(step: 100, layer: 0, in: transaction)?.sampleCount == 36)
                #expect(try store.gradientBlockCount(step: 100, in: transaction) == 9)
                #expect(try store.checkpointProgress(step: 100, in: transaction).examplesIndexed == 36)
            }
        }
    }
}

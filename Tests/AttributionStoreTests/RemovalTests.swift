import AttributionStore
import Foundation
import LMDB
import Testing

/// Removing a checkpoint's or a shard's indexed data deletes exactly that data, and the pages it
/// freed are reused.
@Suite struct RemovalTests {
    static let time = Timestamp(nanosecondsSinceEpoch: 1_700_000_000_000_000_000)

    /// Two checkpoints × two shards of indexed data: blocks, factors, self-influence, progress.
    static func fill(_ store: AttributionStore, dimension: Int = 4, rows: Int = 3) throws {
        try store.write { transaction in
            for step: UInt64 in [10, 20] {
                try store.putCheckpoint(CheckpointRecord(step: step, path: "/c/\(step)", status: .indexed, registeredAt: time),
                                        in: transaction)
                for shard: UInt32 in [0, 1] {
                    let ids = (0..<rows).map { Int64(shard) * 100 + Int64($0) }
                    for block: UInt32 in [0, 1] {
                        try store.putGradientBlock(GradientBlockKey(step: step, shard: shard, block: block), ids: ids,
                                                   values: [Float](repeating: 1, count: rows * dimension), dimension: dimension,
                                                   dtype: .float32, in: transaction)
                    }
                    try store.putProgress(ProgressRecord(step: step, shard: shard, gradientsDone: true, factorsDone: true,
                                                         examplesIndexed: UInt64(rows)), in: transaction)
                    for id in ids { try store.putSelfInfluence(SelfInfluenceRecord(step: step, example: id, value: 1), in: transaction) }
                }
                for layer: UInt32 in 0..<3 {
                    try store.putFactor(FactorRecord(step: step, layer: layer, sampleCount: 1, rowCount: 1, arrays: []), in: transaction)
                }
            }
            for shard: UInt32 in [0, 1] {
                try store.putShard(ShardRecord(ordinal: shard, fileName: "shard-\(shard)", byteSize: 1, modifiedAt: time, contentHash: 0,
                                               exampleCount: UInt64(rows), isHeldOut: false, status: .accepted), in: transaction)
                for row in 0..<rows {
                    try store.putExample(ExampleRecord(id: Int64(shard) * 100 + Int64(row), shard: shard, row: UInt32(row), contributor: -1),
                                         in: transaction)
                }
            }
        }
    }

    struct Counts: Equatable {
        var blocks: Int, factors: Int, selfInfluences: Int, progress: Int
    }

    static func counts(_ store: AttributionStore, step: UInt64) throws -> Counts {
        try store.read { transaction in
            Counts(blocks: try store.gradientBlockCount(step: step, in: transaction),
                   factors: try store.factors(step: step, in: transaction).count,
                   selfInfluences: try store.selfInfluences(step: step, in: transaction).count,
                   progress: try store.progress(ofCheckpoint: step, in: transaction).count)
        }
    }

    @Test func removingACheckpointsDataLeavesTheOtherCheckpointWhole() throws {
        try StoreFixture.withStore { store in
            try Self.fill(store)
            let removed = try store.write { try store.removeIndexedData(step: 10, in: $0) }
            var expected = RemovedRecords()
            (expected.gradientBlocks, expected.factors, expected.selfInfluences, expected.progress) = (4, 3, 6, 2)
            #expect(removed == expected)
            #expect(try Self.counts(store, step: 10) == Counts(blocks: 0, factors: 0, selfInfluences: 0, progress: 0))
            #expect(try Self.counts(store, step: 20) == Counts(blocks: 4, factors: 3, selfInfluences: 6, progress: 2))
            // The records stay for the caller to update; removing again finds nothing.
            #expect(try store.read { try store.checkpoint(step: 10, in: $0) } != nil)
            #expect(try store.write { try store.removeIndexedData(step: 10, in: $0) } == RemovedRecords())
        }
    }

    @Test func removingAShardsDataTakesItOutOfEveryCheckpoint() throws {
        try StoreFixture.withStore { store in
            try Self.fill(store)
            let removed = try store.write { try store.removeShardData(ordinal: 1, in: $0) }
            #expect(removed.examples == 3 && removed.gradientBlocks == 4 && removed.progress == 2 && removed.selfInfluences == 6)
            try store.read { (transaction: borrowing ReadTransaction) throws in
                #expect(try store.examples(in: transaction).map(\.shard) == [0, 0, 0])
                for step: UInt64 in [10, 20] {
                    #expect(try store.gradientBlockCount(step: step, shard: 1, in: transaction) == 0)
                    #expect(try store.gradientBlockCount(step: step, shard: 0, in: transaction) == 2)
                    #expect(try store.progress(ofCheckpoint: step, in: transaction).map(\.shard) == [0])
                    #expect(try store.selfInfluences(step: step, in: transaction).map(\.example) == [0, 1, 2])
                    #expect(try store.factors(step: step, in: transaction).count == 3)
                }
            }
        }
    }

    @Test func jobsAreRemovedAndTakenBySelection() throws {
        try StoreFixture.withStore { store in
            try store.write { transaction in
                try store.enqueueJob(.indexShard, step: 1, shard: 0, in: transaction)
                try store.enqueueJob(.indexShard, step: 2, shard: 0, in: transaction)
                try store.enqueueJob(.finishCheckpoint, step: 1, in: transaction)
                try store.enqueueJob(.finishCheckpoint, step: 2, in: transaction)
            }
            let taken = try store.write { try store.dequeueNextJob(in: $0, where: { $0.step == 2 }) }
            #expect(taken?.sequence == 2 && taken?.state == .running)
            let removed = try store.write { try store.removeJobs(in: $0) { $0.step == 1 } }
            #expect(removed == 2)
            #expect(try store.read { try store.jobs(in: $0).map(\.sequence) } == [2, 4])
            #expect(try store.write { try store.dequeueNextJob(in: $0, where: { $0.step == 1 }) } == nil)
        }
    }

    /// Retiring and indexing again, over and over, does not grow the file: LMDB reuses the pages
    /// the removals freed.
    @Test func freedPagesAreReused() throws {
        try StoreFixture.withDirectory { path in
            let store = try AttributionStore(path: path, engineFingerprint: StoreFixture.fingerprint)
            let dataFile = URL(fileURLWithPath: path).appendingPathComponent("data.mdb")
            let perCheckpoint = 8 * 64 * 256 * MemoryLayout<Float>.size
            var sizes: [Int] = []
            for round in 0..<10 {
                try store.write { transaction in
                    let step = UInt64(round)
                    for block: UInt32 in 0..<8 {
                        try store.putGradientBlock(GradientBlockKey(step: step, shard: 0, block: block), ids: (0..<64).map(Int64.init),
                                                   values: [Float](repeating: 0.5, count: 64 * 256), dimension: 256, dtype: .float32,
                                                   in: transaction)
                    }
                    if round > 0 { try store.removeIndexedData(step: step - 1, in: transaction) }
                }
                let attributes = try FileManager.default.attributesOfItem(atPath: dataFile.path)
                sizes.append((attributes[.size] as? NSNumber)?.intValue ?? 0)
            }
            // One checkpoint's blocks are live at a time (LMDB holds freed pages back for two
            // commits); without reuse the file would hold all ten.
            #expect((sizes.last ?? .max) < 5 * perCheckpoint, "data file size per round: \(sizes)")
            #expect(sizes.last == sizes[sizes.count - 3], "the file keeps growing: \(sizes)")
        }
    }
}

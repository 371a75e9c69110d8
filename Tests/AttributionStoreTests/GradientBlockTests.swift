@testable import AttributionStore
import LMDB
import Testing

@Suite struct GradientBlockTests {
    /// Deterministic values that half precision represents exactly (multiples of 1/64 below 32).
    static func values(rows: Int, dimension: Int, seed: Int) -> [Float] {
        (0..<rows * dimension).map { Float(($0 * 37 + seed * 11) % 2048 - 1024) / 64 }
    }

    struct Stored: Equatable {
        let key: GradientBlockKey
        let ids: [Int64]
        let rows: [[Float]]
        let placement: BlockPlacement
    }

    /// Every block of `steps`, copied out, after checking the alignment promises.
    static func readAll(_ store: AttributionStore, steps: [UInt64], shard: UInt32? = nil) throws -> [Stored] {
        try store.read { (transaction: borrowing ReadTransaction) throws in
            var stored: [Stored] = []
            try store.forEachGradientBlock(steps: steps, shard: shard, in: transaction) { view in
                #expect(Int(bitPattern: view.values.baseAddress) % 16 == 0)
                #expect(Int(bitPattern: view.ids.baseAddress) % 8 == 0)
                #expect(view.values.count == view.rows * view.dimension * view.dtype.byteWidth)
                stored.append(Stored(key: view.key, ids: Array(view.ids), rows: (0..<view.rows).map(view.row), placement: view.placement))
            }
            return stored
        }
    }

    @Test(arguments: GradientDType.allCases)
    func largeBlocksRoundTripInPlace(dtype: GradientDType) throws {
        try StoreFixture.withStore { store in
            let key = GradientBlockKey(step: 100, shard: 2, block: 0)
            let ids: [Int64] = (0..<37).map { Int64($0) * 1_000_003 - 5 }
            let values = Self.values(rows: 37, dimension: 50, seed: 1)
            let written = try store.write { transaction in
                try store.putGradientBlock(key, ids: ids, values: values, dimension: 50, dtype: dtype, in: transaction)
            }
            #expect(written == .inPlace)
            let stored = try Self.readAll(store, steps: [100])
            #expect(stored.count == 1)
            #expect(stored.first?.placement == .inPlace)
            #expect(stored.first?.ids == ids)
            #expect(stored.first?.rows.flatMap { $0 } == values)
            let dtypeRead = try store.read { try store.withGradientBlock(key, in: $0) { $0.dtype } }
            #expect(dtypeRead == dtype)
        }
    }

    @Test(arguments: GradientDType.allCases)
    func smallMisalignedBlocksGoThroughAnAlignedCopy(dtype: GradientDType) throws {
        try StoreFixture.withStore { store in
            var expected: [Stored] = []
            var writePlacements: [BlockPlacement] = []
            try store.write { transaction in
                for block: UInt32 in 0..<24 {
                    let key = GradientBlockKey(step: 7, shard: 1, block: block)
                    let rows = Int(block % 3) + 1
                    let ids = (0..<rows).map { Int64(block) * 10 + Int64($0) }
                    let values = Self.values(rows: rows, dimension: 3, seed: Int(block))
                    writePlacements.append(
                        try store.putGradientBlock(key, ids: ids, values: values, dimension: 3, dtype: dtype, in: transaction)
                    )
                    let rowsOfValues = (0..<rows).map { Array(values[$0 * 3..<$0 * 3 + 3]) }
                    expected.append(Stored(key: key, ids: ids, rows: rowsOfValues, placement: .inPlace))
                }
            }
            let stored = try Self.readAll(store, steps: [7])
            #expect(stored.map(\.key) == expected.map(\.key))
            #expect(stored.map(\.ids) == expected.map(\.ids))
            #expect(stored.map(\.rows) == expected.map(\.rows))
            // Leaf-page values are only 2-byte aligned: some blocks must have taken the copy path.
            #expect(writePlacements.contains(.alignedCopy))
            #expect(stored.contains { $0.placement == .alignedCopy })
        }
    }

    @Test func halfPrecisionRoundsToNearest() throws {
        try StoreFixture.withStore { store in
            let values: [Float] = [1.0 / 3.0, 65520, -1e-8, 0.1]
            let key = GradientBlockKey(step: 1, shard: 0, block: 0)
            try store.write { try store.putGradientBlock(key, ids: [9], values: values, dimension: 4, dtype: .float16, in: $0) }
            let row = try store.read { try store.withGradientBlock(key, in: $0) { $0.row(0) } }
            #expect(row == values.map { Float(Float16($0)) })
            #expect(row?[1] == .infinity)
        }
    }

    @Test func blocksOfSeveralCheckpointsComeInTheOrderAskedAndKeyOrderWithin() throws {
        try StoreFixture.withStore { store in
            let keys = [(20, 1, 1), (10, 0, 0), (20, 0, 1), (10, 1, 0), (20, 0, 0), (30, 0, 0)].map {
                GradientBlockKey(step: UInt64($0.0), shard: UInt32($0.1), block: UInt32($0.2))
            }
            try store.write { transaction in
                for key in keys {
                    try store.putGradientBlock(key, ids: [1], values: [2], dimension: 1, dtype: .float32, in: transaction)
                }
            }
            let order = try Self.readAll(store, steps: [20, 10]).map(\.key)
            #expect(order == [
                GradientBlockKey(step: 20, shard: 0, block: 0), GradientBlockKey(step: 20, shard: 0, block: 1),
                GradientBlockKey(step: 20, shard: 1, block: 1), GradientBlockKey(step: 10, shard: 0, block: 0),
                GradientBlockKey(step: 10, shard: 1, block: 0),
            ])
            #expect(try Self.readAll(store, steps: [20], shard: 0).count == 2)
            let removed = try store.write { try store.removeGradientBlocks(step: 20, shard: 0, in: $0) }
            #expect(removed == 2)
            #expect(try store.read { try store.gradientBlockCount(step: 20, in: $0) } == 1)
        }
    }

    @Test func aThrowingFillStoresNothing() throws {
        struct Stop: Error {}
        try StoreFixture.withStore { store in
            let key = GradientBlockKey(step: 1, shard: 1, block: 1)
            try store.write { transaction in
                #expect(throws: Stop.self) {
                    try store.putGradientBlock(key, rows: 2, dimension: 2, dtype: .float32, in: transaction) { _, _ in throw Stop() }
                }
            }
            #expect(try store.read { try store.gradientBlockCount(step: 1, in: $0) } == 0)
        }
    }

    @Test func corruptStoredBlocksAreTypedErrors() throws {
        try StoreFixture.withStore { store in
            let key = GradientBlockKey(step: 3, shard: 0, block: 0)
            try store.write { try store.putGradientBlock(key, ids: [1, 2], values: [1, 2, 3, 4], dimension: 2, dtype: .float32, in: $0) }
            let good = try store.read { try $0.value(forKey: key.bytes, in: store.databases.gradientBlocks) } ?? []
            var damaged: [[UInt8]] = [Array(good.prefix(15)), Array(good.dropLast()), good + [0]]
            for (offset, byte) in [(0, UInt8(9)), (1, UInt8(7)), (2, UInt8(1)), (13, UInt8(1)), (4, UInt8(3))] {
                var copy = good
                copy[offset] = byte
                damaged.append(copy)
            }
            var overflowing = good
            for offset in 4..<12 { overflowing[offset] = 0xFF }
            damaged.append(overflowing)
            for bytes in damaged {
                try store.write { try $0.put(bytes, forKey: key.bytes, in: store.databases.gradientBlocks) }
                #expect(throws: AttributionStoreError.self) { try Self.readAll(store, steps: [3]) }
            }
        }
    }

    @Test func halfConversionHelpersMatchSwiftFloat16() {
        let values: [Float] = [0, -0, 1, -2.5, 0.1, 65504, 1e-7, .infinity, -.infinity]
        for value in values {
            #expect(Float16Conversion.float(halfBits: Float16Conversion.halfBits(value)) == Float(Float16(value)))
        }
        #expect(Float16Conversion.float(halfBits: Float16Conversion.halfBits(.nan)).isNaN)
        var encoded = [UInt8](repeating: 0, count: values.count * 2 + 1)
        var decoded = [Float](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { source in
            encoded.withUnsafeMutableBytes { Float16Conversion.encode(source, into: UnsafeMutableRawBufferPointer(rebasing: $0[1...])) }
        }
        encoded.withUnsafeBytes { bytes in
            decoded.withUnsafeMutableBufferPointer { Float16Conversion.decode(UnsafeRawBufferPointer(rebasing: bytes[1...]), into: $0) }
        }
        #expect(decoded == values.map { Float(Float16($0)) })
    }
}

import LMDB
import Testing

/// `MDB_RESERVE` writes values in place; where LMDB puts them decides their alignment.
@Suite struct ReserveTests {
    struct FillFailed: Error {}

    @Test func bigReservedValuesRoundTripAndSitSixteenByteAligned() throws {
        try TemporaryDirectory.with { path in
            let environment = try Environment(path: path)
            let database = try environment.openDatabase(named: "blobs")
            let count = 1 << 20
            let writeAddress = try environment.write { transaction in
                var address = 0
                try transaction.put(reservingCount: count, forKey: bytes("blob"), in: database) { buffer in
                    address = Int(bitPattern: buffer.baseAddress)
                    for index in 0..<count { buffer[index] = UInt8(truncatingIfNeeded: index &* 7) }
                }
                return address
            }
            // Overflow pages start on a page boundary; the value follows the 16-byte page header.
            #expect(writeAddress % 16 == 0)
            try environment.read { transaction in
                let matches = try transaction.withValue(forKey: bytes("blob"), in: database) { value in
                    #expect(Int(bitPattern: value.baseAddress) % 16 == 0)
                    return value.count == count && value.indices.allSatisfy { value[$0] == UInt8(truncatingIfNeeded: $0 &* 7) }
                }
                #expect(matches == true)
            }
        }
    }

    @Test func smallReservedValuesLiveInLeafPagesWithTwoByteAlignment() throws {
        try TemporaryDirectory.with { path in
            let environment = try Environment(path: path)
            let database = try environment.openDatabase(named: "small")
            try environment.write { transaction in
                for index: UInt32 in 0..<32 {
                    try transaction.put(reservingCount: 36, forKey: key(index), in: database) { buffer in
                        buffer.copyBytes(from: [UInt8](repeating: UInt8(index), count: 36))
                    }
                }
            }
            let residues = try environment.read { transaction in
                try (0..<32 as Range<UInt32>).map { index in
                    try transaction.withValue(forKey: key(index), in: database) { value in
                        #expect(value.allSatisfy { $0 == UInt8(index) })
                        return Int(bitPattern: value.baseAddress) % 16
                    }
                }
            }
            #expect(residues.allSatisfy { $0 != nil && $0! % 2 == 0 })
            // Leaf nodes are only 2-byte aligned, so these values are not all 16-byte aligned.
            #expect(residues.contains { $0 != 0 })
        }
    }

    @Test func aThrowingFillRemovesTheReservedKey() throws {
        try TemporaryDirectory.with { path in
            let environment = try Environment(path: path)
            let database = try environment.openDatabase(named: "blobs")
            try environment.write { transaction in
                #expect(throws: FillFailed.self) {
                    try transaction.put(reservingCount: 64, forKey: bytes("partial"), in: database) { _ in throw FillFailed() }
                }
                try transaction.put(bytes("fine"), forKey: bytes("other"), in: database)
            }
            try environment.read { (transaction: borrowing ReadTransaction) throws in
                #expect(try transaction.value(forKey: bytes("partial"), in: database) == nil)
                #expect(try transaction.value(forKey: bytes("other"), in: database) == bytes("fine"))
            }
        }
    }

    @Test func reservingUnderAnExistingKeyWithNoOverwriteSkipsTheFill() throws {
        try TemporaryDirectory.with { path in
            let environment = try Environment(path: path)
            let database = try environment.openDatabase(named: "blobs")
            let stored = try environment.write { transaction in
                try transaction.put(bytes("first"), forKey: bytes("k"), in: database)
                return try transaction.put(reservingCount: 8, forKey: bytes("k"), in: database, flags: .noOverwrite) { _ in
                    Issue.record("fill ran for an existing key")
                }
            }
            #expect(!stored)
        }
    }
}

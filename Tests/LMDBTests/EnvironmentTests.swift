import LMDB
import Testing

@Suite struct EnvironmentTests {
    @Test func valuesRoundTripThroughWriteAndRead() throws {
        try TemporaryDirectory.with { path in
            let environment = try Environment(path: path)
            let database = try environment.openDatabase(named: "things")
            try environment.write { transaction in
                try transaction.put(bytes("one"), forKey: bytes("a"), in: database)
                try transaction.put(bytes("two"), forKey: bytes("b"), in: database)
            }
            try environment.read { (transaction: borrowing ReadTransaction) throws in
                #expect(try transaction.value(forKey: bytes("a"), in: database) == bytes("one"))
                #expect(try transaction.withValue(forKey: bytes("b"), in: database) { $0.count } == 3)
                #expect(try transaction.value(forKey: bytes("c"), in: database) == nil)
                #expect(try transaction.contains(key: bytes("b"), in: database))
                #expect(try transaction.count(in: database) == 2)
            }
        }
    }

    @Test func deleteAndNoOverwriteAnswerWithValues() throws {
        try TemporaryDirectory.with { path in
            let environment = try Environment(path: path)
            let database = try environment.openDatabase(named: "things")
            try environment.write { (transaction: borrowing WriteTransaction) throws in
                #expect(try transaction.put(bytes("first"), forKey: bytes("k"), in: database, flags: .noOverwrite))
                #expect(try !transaction.put(bytes("second"), forKey: bytes("k"), in: database, flags: .noOverwrite))
                #expect(try transaction.value(forKey: bytes("k"), in: database) == bytes("first"))
                #expect(try transaction.delete(forKey: bytes("k"), in: database))
                #expect(try !transaction.delete(forKey: bytes("k"), in: database))
            }
        }
    }

    @Test func reopeningAfterCloseKeepsCommittedData() throws {
        try TemporaryDirectory.with { path in
            do {
                let environment = try Environment(path: path)
                let database = try environment.openDatabase(named: "kept")
                try environment.write { try $0.put(bytes("value"), forKey: bytes("key"), in: database) }
            }
            let reopened = try Environment(path: path)
            #expect(reopened.staleReadersCleared == 0)
            let database = try reopened.openDatabase(named: "kept")
            #expect(try reopened.read { try $0.value(forKey: bytes("key"), in: database) } == bytes("value"))
        }
    }

    @Test func readOnlyEnvironmentReadsButRefusesWritesAndMissingDatabases() throws {
        try TemporaryDirectory.with { path in
            do {
                let environment = try Environment(path: path)
                let database = try environment.openDatabase(named: "kept")
                try environment.write { try $0.put(bytes("value"), forKey: bytes("key"), in: database) }
            }
            let readOnly = try Environment(path: path, configuration: .init(flags: .readOnly))
            let database = try readOnly.openDatabase(named: "kept")
            #expect(try readOnly.read { try $0.value(forKey: bytes("key"), in: database) } == bytes("value"))
            #expect(throws: LMDBError.self) { try readOnly.write { try $0.put(bytes("x"), forKey: bytes("y"), in: database) } }
            let missing = #expect(throws: LMDBError.self) { try readOnly.openDatabase(named: "absent") }
            #expect(missing?.code == .notFound)
        }
    }

    @Test func openingAMissingDirectoryFailsWithTheOperationNamed() throws {
        let error = #expect(throws: LMDBError.self) {
            try Environment(path: "/nonexistent-\(UInt64.random(in: 0...UInt64.max))/store")
        }
        #expect(error?.description.contains("mdb_env_open") == true)
        #expect(error?.description.contains("No such file or directory") == true)
    }

    @Test func tooManyDatabasesIsATypedError() throws {
        try TemporaryDirectory.with { path in
            let environment = try Environment(path: path, configuration: .init(maximumDatabases: 1))
            _ = try environment.openDatabase(named: "first")
            let error = #expect(throws: LMDBError.self) { try environment.openDatabase(named: "second") }
            #expect(error?.code == .databasesFull)
        }
    }

    @Test func readersBeyondTheSlotLimitAreATypedError() throws {
        try TemporaryDirectory.with { path in
            let environment = try Environment(path: path, configuration: .init(maximumReaders: 1))
            let error = #expect(throws: LMDBError.self) {
                // MDB_NOTLS allows a second read transaction on the same thread; it needs a second slot.
                try environment.read { _ in try environment.read { _ in } }
            }
            #expect(error?.code == .readersFull)
            #expect(throws: Never.self) { try environment.read { _ in } }
        }
    }

    @Test func sizesAreReportedAndKeysBeyondTheMaximumRefused() throws {
        try TemporaryDirectory.with { path in
            let environment = try Environment(path: path, configuration: .init(mapSize: 100_000))
            #expect(environment.pageSize > 0)
            #expect(environment.mapSize >= 100_000 && environment.mapSize.isMultiple(of: environment.pageSize))
            let database = try environment.openDatabase(named: "keys")
            let longest = [UInt8](repeating: 1, count: environment.maximumKeySize)
            try environment.write { try $0.put([1], forKey: longest, in: database) }
            let error = #expect(throws: LMDBError.self) {
                try environment.write { try $0.put([1], forKey: longest + [1], in: database) }
            }
            #expect(error?.code == .badValueSize)
            try environment.sync()
        }
    }
}

import LMDB
import Testing

@Suite struct TransactionTests {
    struct Interrupted: Error {}

    @Test func aThrowingWriteClosureLeavesNothing() throws {
        try TemporaryDirectory.with { path in
            let environment = try Environment(path: path)
            let database = try environment.openDatabase(named: "things")
            try environment.write { try $0.put(bytes("kept"), forKey: bytes("old"), in: database) }
            #expect(throws: Interrupted.self) {
                try environment.write { transaction in
                    try transaction.put(bytes("lost"), forKey: bytes("new"), in: database)
                    try transaction.delete(forKey: bytes("old"), in: database)
                    throw Interrupted()
                }
            }
            let stored = try environment.read { transaction in
                (try transaction.value(forKey: bytes("new"), in: database), try transaction.value(forKey: bytes("old"), in: database))
            }
            #expect(stored.0 == nil)
            #expect(stored.1 == bytes("kept"))
        }
    }

    @Test func aWriteSeesItsOwnUncommittedChanges() throws {
        try TemporaryDirectory.with { path in
            let environment = try Environment(path: path)
            let database = try environment.openDatabase(named: "things")
            try environment.write { transaction in
                try transaction.put(bytes("v"), forKey: bytes("k"), in: database)
                #expect(try transaction.value(forKey: bytes("k"), in: database) == bytes("v"))
                try transaction.removeAll(in: database)
                #expect(try transaction.count(in: database) == 0)
            }
        }
    }

    @Test func writesReturnTheClosureResult() throws {
        try TemporaryDirectory.with { path in
            let environment = try Environment(path: path)
            let database = try environment.openDatabase(named: "things")
            let written = try environment.write { transaction in
                try transaction.put(bytes("v"), forKey: bytes("k"), in: database)
                return try transaction.count(in: database)
            }
            #expect(written == 1)
        }
    }

    @Test func emptyKeysAreRejectedWithATypedError() throws {
        try TemporaryDirectory.with { path in
            let environment = try Environment(path: path)
            let database = try environment.openDatabase(named: "things")
            let error = #expect(throws: LMDBError.self) {
                try environment.write { try $0.put(bytes("v"), forKey: [], in: database) }
            }
            #expect(error?.code == .badValueSize)
        }
    }
}

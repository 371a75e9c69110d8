import LMDB
import Testing

@Suite struct CursorTests {
    /// A database holding big-endian keys 0, 10, 20, …, 90 written in a scrambled order.
    private func numbers(_ path: String) throws -> (Environment, Database) {
        let environment = try Environment(path: path)
        let database = try environment.openDatabase(named: "numbers")
        try environment.write { transaction in
            for number: UInt32 in [70, 0, 30, 90, 10, 50, 20, 80, 40, 60] {
                try transaction.put(bytes("v\(number)"), forKey: key(number), in: database)
            }
        }
        return (environment, database)
    }

    private func keys(
        _ environment: Environment, _ database: Database, _ range: KeyRange, reverse: Bool = false, limit: Int = .max
    ) throws -> [UInt32] {
        try environment.read { transaction in
            var found: [UInt32] = []
            try transaction.forEach(in: database, range: range, reverse: reverse) { entry in
                found.append(entry.key.reduce(0) { $0 << 8 | UInt32($1) })
                return found.count < limit ? .proceed : .stop
            }
            return found
        }
    }

    @Test func rangesComeOutInKeyOrder() throws {
        try TemporaryDirectory.with { path in
            let (environment, database) = try numbers(path)
            #expect(try keys(environment, database, .all) == [0, 10, 20, 30, 40, 50, 60, 70, 80, 90])
            #expect(try keys(environment, database, KeyRange(from: key(15), before: key(50))) == [20, 30, 40])
            #expect(try keys(environment, database, KeyRange(from: key(20), before: key(21))) == [20])
            #expect(try keys(environment, database, KeyRange(from: key(91))) == [])
            #expect(try keys(environment, database, KeyRange(before: key(0))) == [])
            #expect(try keys(environment, database, .all, limit: 3) == [0, 10, 20])
        }
    }

    @Test func reverseRangesComeOutInReverseKeyOrder() throws {
        try TemporaryDirectory.with { path in
            let (environment, database) = try numbers(path)
            #expect(try keys(environment, database, .all, reverse: true) == [90, 80, 70, 60, 50, 40, 30, 20, 10, 0])
            #expect(try keys(environment, database, KeyRange(from: key(15), before: key(50)), reverse: true) == [40, 30, 20])
            #expect(try keys(environment, database, KeyRange(from: key(40), before: key(1000)), reverse: true) == [90, 80, 70, 60, 50, 40])
            #expect(try keys(environment, database, .all, reverse: true, limit: 1) == [90])
        }
    }

    @Test func prefixRangesStopAtTheFirstKeyWithoutThePrefix() throws {
        try TemporaryDirectory.with { path in
            let environment = try Environment(path: path)
            let database = try environment.openDatabase(named: "prefixed")
            try environment.write { transaction in
                for name in ["a", "b", "b\u{0}", "ba", "b\u{7F}z", "c"] {
                    try transaction.put(bytes(name), forKey: bytes(name), in: database)
                }
                try transaction.put([0xFF], forKey: [0x62, 0xFF], in: database)
                try transaction.put([0xFF], forKey: [0xFF, 0xFF], in: database)
            }
            let found = try environment.read { transaction in
                var keys: [[UInt8]] = []
                try transaction.forEach(in: database, range: .prefix(bytes("b"))) { entry in
                    keys.append(Array(entry.key))
                    return .proceed
                }
                return keys
            }
            #expect(found == [bytes("b"), bytes("b\u{0}"), bytes("ba"), bytes("b\u{7F}z"), [0x62, 0xFF]])
            #expect(KeyRange.prefix([0xFF, 0xFF]).upperBound == nil)
        }
    }

    @Test func cursorsMoveAndSeek() throws {
        try TemporaryDirectory.with { path in
            let (environment, database) = try numbers(path)
            try environment.read { transaction in
                try transaction.withCursor(on: database) { (cursor: borrowing Cursor) throws in
                    #expect(try cursor.seek(exactly: key(35)) == nil)
                    #expect(try cursor.seek(atLeast: key(35)).map { Array($0.value) } == bytes("v40"))
                    #expect(try cursor.next().map { Array($0.value) } == bytes("v50"))
                    #expect(try cursor.current().map { Array($0.key) } == key(50))
                    #expect(try cursor.seek(exactly: key(90)).map { Array($0.value) } == bytes("v90"))
                    #expect(try cursor.next() == nil)
                    #expect(try cursor.first().map { Array($0.key) } == key(0))
                    #expect(try cursor.previous() == nil)
                    #expect(try cursor.last().map { Array($0.key) } == key(90))
                }
            }
        }
    }
}

import Foundation
import LMDB
import Testing

/// Readers see the last commit before they began, whatever a concurrent writer does.
@Suite struct SnapshotTests {
    /// Writes `value` under both "a" and "b" in one transaction.
    private static func writePair(_ value: UInt32, _ environment: Environment, _ database: Database) throws {
        try environment.write { transaction in
            try transaction.put(key(value), forKey: bytes("a"), in: database)
            try transaction.put(key(value), forKey: bytes("b"), in: database)
        }
    }

    /// The pair as numbers.
    private static func readPair(_ transaction: borrowing ReadTransaction, _ database: Database) throws -> (UInt32, UInt32) {
        func number(_ name: String) throws -> UInt32 {
            let stored = try transaction.value(forKey: bytes(name), in: database)
            return stored.map { $0.reduce(0) { $0 << 8 | UInt32($1) } } ?? .max
        }
        return (try number("a"), try number("b"))
    }

    @Test func aReadTransactionKeepsItsSnapshotWhileAnotherThreadCommits() throws {
        try TemporaryDirectory.with { path in
            let environment = try Environment(path: path)
            let database = try environment.openDatabase(named: "pair")
            try Self.writePair(1, environment, database)
            let committed = DispatchSemaphore(value: 0)
            let writerFailed = LockedFlag()
            let inside = try environment.read { transaction in
                let before = try Self.readPair(transaction, database)
                let writer = Thread {
                    do { try Self.writePair(2, environment, database) } catch { writerFailed.set() }
                    committed.signal()
                }
                writer.start()
                committed.wait()
                let after = try Self.readPair(transaction, database)
                return (before, after)
            }
            #expect(!writerFailed.value)
            #expect(inside.0 == (1, 1) && inside.1 == (1, 1))
            let outside = try environment.read { try Self.readPair($0, database) }
            #expect(outside == (2, 2))
        }
    }

    @Test func concurrentReadersNeverSeeAHalfWrittenPair() async throws {
        let directory = try TemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        let environment = try Environment(path: directory.path)
        let database = try environment.openDatabase(named: "pair")
        try Self.writePair(0, environment, database)
        let commits: UInt32 = 200
        let observations = try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                for value in 1...commits { try Self.writePair(value, environment, database) }
                return 0
            }
            for _ in 0..<3 {
                group.addTask {
                    var last: UInt32 = 0
                    var reads = 0
                    while last < commits {
                        let (a, b) = try environment.read { try Self.readPair($0, database) }
                        #expect(a == b)
                        #expect(a >= last)
                        last = a
                        reads += 1
                        await Task.yield()
                    }
                    return reads
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(observations >= 3)
    }
}

/// A flag set from another thread.
final class LockedFlag: @unchecked Sendable {
    // @unchecked: every access goes through `lock`.
    private let lock = NSLock()
    private var isSet = false

    func set() { lock.withLock { isSet = true } }
    var value: Bool { lock.withLock { isSet } }
}

import Foundation
import LMDB
import Testing

/// A full map makes the write grow it and run again, up to the configured maximum.
@Suite struct MapGrowthTests {
    private static let value = [UInt8](repeating: 0xAB, count: 4096)

    @Test func aFullMapIsGrownAndTheWriteRunAgain() throws {
        try TemporaryDirectory.with { path in
            let configuration = Environment.Configuration(mapSize: 32 << 10, maximumMapSize: 8 << 20)
            let grown = try Self.fill(path, configuration)
            // Reopening keeps the grown size instead of shrinking to the configured one.
            let reopened = try Environment(path: path, configuration: configuration)
            #expect(reopened.mapSize == grown)
        }
    }

    /// Writes 100 4 KiB values in one transaction into a fresh 32 KiB map; returns the grown size.
    private static func fill(_ path: String, _ configuration: Environment.Configuration) throws -> Int {
        let environment = try Environment(path: path, configuration: configuration)
        let initial = environment.mapSize
        let database = try environment.openDatabase(named: "big")
        var runs = 0
        try environment.write { transaction in
            runs += 1
            for index: UInt32 in 0..<100 {
                try transaction.put(Self.value, forKey: key(index), in: database)
            }
        }
        #expect(runs > 1)
        #expect(environment.mapSize > initial)
        #expect(environment.mapSize.isMultiple(of: initial))
        let stored = try environment.read { transaction in
            (try transaction.count(in: database), try transaction.value(forKey: key(99), in: database))
        }
        #expect(stored.0 == 100 && stored.1 == Self.value)
        return environment.mapSize
    }

    @Test func aCaughtMapFullErrorStillGrowsTheMap() throws {
        try TemporaryDirectory.with { path in
            let environment = try Environment(path: path, configuration: .init(mapSize: 32 << 10, maximumMapSize: 8 << 20))
            let database = try environment.openDatabase(named: "big")
            var caught = 0
            try environment.write { transaction in
                for index: UInt32 in 0..<40 {
                    do { try transaction.put(Self.value, forKey: key(index), in: database) } catch { caught += 1 }
                }
            }
            #expect(caught > 0)
            #expect(try environment.read { try $0.count(in: database) } == 40)
        }
    }

    @Test func growthStopsAtTheMaximumAndLeavesNothing() throws {
        try TemporaryDirectory.with { path in
            let environment = try Environment(path: path, configuration: .init(mapSize: 32 << 10, maximumMapSize: 256 << 10))
            let database = try environment.openDatabase(named: "big")
            let error = #expect(throws: LMDBError.self) {
                try environment.write { transaction in
                    for index: UInt32 in 0..<200 {
                        try transaction.put(Self.value, forKey: key(index), in: database)
                    }
                }
            }
            #expect(error?.code == .mapFull)
            #expect(environment.mapSize == 256 << 10)
            #expect(try environment.read { try $0.count(in: database) } == 0)
        }
    }

    @Test func growthWaitsForReadersOnOtherThreads() throws {
        try TemporaryDirectory.with { path in
            let environment = try Environment(path: path, configuration: .init(mapSize: 32 << 10, maximumMapSize: 8 << 20))
            let database = try environment.openDatabase(named: "big")
            try environment.write { try $0.put(bytes("before"), forKey: bytes("marker"), in: database) }
            let readerStarted = DispatchSemaphore(value: 0)
            let readerDone = DispatchSemaphore(value: 0)
            let readerSaw = LockedFlag()
            let reader = Thread {
                let sawBefore = (try? environment.read { transaction in
                    readerStarted.signal()
                    Thread.sleep(forTimeInterval: 0.05)
                    return try transaction.value(forKey: bytes("marker"), in: database) == bytes("before")
                }) ?? false
                if sawBefore { readerSaw.set() }
                readerDone.signal()
            }
            reader.start()
            readerStarted.wait()
            try environment.write { transaction in
                try transaction.put(bytes("after"), forKey: bytes("marker"), in: database)
                for index: UInt32 in 0..<100 {
                    try transaction.put(Self.value, forKey: key(index), in: database)
                }
            }
            readerDone.wait()
            #expect(readerSaw.value)
            #expect(try environment.read { try $0.value(forKey: bytes("marker"), in: database) } == bytes("after"))
        }
    }
}

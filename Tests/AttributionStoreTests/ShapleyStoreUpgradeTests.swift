@testable import AttributionStore
import LMDB
import Testing

/// A store written before the Shapley databases existed opens as it is and gains them, empty;
/// the schema version is unchanged.
@Suite struct ShapleyStoreUpgradeTests {
    static let shapleyDatabases = ["shapleyCoalitions", "shapleyGames", "shapleyJobs", "shapleyValuations"]

    /// The names of the environment's named databases (the main database's keys).
    static func databaseNames(at path: String) throws -> [String] {
        let environment = try Environment(path: path, configuration: .init(maximumDatabases: 32))
        let main = try environment.openDatabase(named: nil)
        var names: [String] = []
        try environment.read { transaction in
            try transaction.forEach(in: main) { entry in
                names.append(String(decoding: entry.key, as: UTF8.self))
                return .proceed
            }
        }
        return names
    }

    @Test func aStoreWithoutShapleyDatabasesGainsThemAndKeepsItsContents() throws {
        try StoreFixture.withDirectory { path in
            let job = JobRecord(sequence: 1, kind: .indexShard, step: 100, shard: 0, state: .pending, attempts: 0, lastError: nil)
            do {
                // The layout of a store written before this version: meta and the older tables.
                let environment = try Environment(path: path, configuration: .init(maximumDatabases: 32))
                let meta = try environment.openDatabase(named: "meta")
                let jobs = try environment.openDatabase(named: "jobs")
                try environment.write { transaction in
                    try transaction.put([1, 0, 0, 0], forKey: Array("schemaVersion".utf8), in: meta)
                    try transaction.put(Array(StoreFixture.fingerprint.utf8), forKey: Array("engineFingerprint".utf8), in: meta)
                    try transaction.put(job.encodedValue(), forKey: job.key, in: jobs)
                }
            }
            #expect(try Self.databaseNames(at: path) == ["jobs", "meta"])
            do {
                let store = try AttributionStore(path: path, engineFingerprint: StoreFixture.fingerprint)
                #expect(try store.read { try store.jobs(in: $0) } == [job])
                try store.write { transaction in
                    try store.putShapleyGame(ShapleyFixtures.game("g"), in: transaction)
                    try store.putShapleyCoalitionValue(fingerprint: "g", bits: 1, values: [1, 2], in: transaction)
                }
            }
            let names = try Self.databaseNames(at: path)
            #expect(Self.shapleyDatabases.allSatisfy(names.contains))
            #expect(names.count == StoreDatabases.count)
            let environment = try Environment(path: path, configuration: .init(maximumDatabases: 32))
            let meta = try environment.openDatabase(named: "meta")
            #expect(try environment.read { try $0.value(forKey: Array("schemaVersion".utf8), in: meta) } == [1, 0, 0, 0])
            let store = try AttributionStore(environment: environment, engineFingerprint: StoreFixture.fingerprint)
            #expect(try store.read { try store.shapleyCoalitionValues(fingerprint: "g", in: $0) }.map(\.values) == [[1, 2]])
        }
    }
}

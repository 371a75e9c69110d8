import AttributionStore
import LMDB
import Testing

/// A store refuses to open when its schema is newer or its engine configuration differs.
@Suite struct SchemaTests {
    @Test func aNewStoreRecordsItsVersionAndFingerprintAndReopens() throws {
        try StoreFixture.withDirectory { path in
            do {
                let store = try AttributionStore(path: path, engineFingerprint: StoreFixture.fingerprint)
                try store.write { transaction in
                    try store.putContributor(ContributorRecord(id: 1, name: "kept"), in: transaction)
                }
            }
            let environment = try Environment(path: path, configuration: .init(maximumDatabases: 32))
            let meta = try environment.openDatabase(named: "meta")
            let stored = try environment.read { transaction in
                (try transaction.value(forKey: Array("schemaVersion".utf8), in: meta),
                 try transaction.value(forKey: Array("engineFingerprint".utf8), in: meta))
            }
            #expect(stored.0 == [1, 0, 0, 0])
            #expect(stored.1 == Array(StoreFixture.fingerprint.utf8))
            let reopened = try AttributionStore(environment: environment, engineFingerprint: StoreFixture.fingerprint)
            #expect(try reopened.read { try reopened.contributor(id: 1, in: $0) }?.name == "kept")
        }
    }

    @Test func anotherEngineFingerprintIsRefusedNamingBoth() throws {
        try StoreFixture.withDirectory { path in
            let environment = try Environment(path: path, configuration: .init(maximumDatabases: 32))
            _ = try AttributionStore(environment: environment, engineFingerprint: "seed=1 dims=64")
            let error = #expect(throws: AttributionStoreError.self) {
                try AttributionStore(environment: environment, engineFingerprint: "seed=2 dims=64")
            }
            #expect(error == .fingerprintMismatch(stored: "seed=1 dims=64", requested: "seed=2 dims=64"))
            #expect(error?.description.contains("seed=1 dims=64") == true)
            #expect(error?.description.contains("seed=2 dims=64") == true)
        }
    }

    @Test func aNewerSchemaIsRefusedAndLeftUntouched() throws {
        try StoreFixture.withDirectory { path in
            let environment = try Environment(path: path, configuration: .init(maximumDatabases: 32))
            let meta = try environment.openDatabase(named: "meta")
            try environment.write { transaction in
                try transaction.put([2, 0, 0, 0], forKey: Array("schemaVersion".utf8), in: meta)
                try transaction.put(Array("future".utf8), forKey: Array("engineFingerprint".utf8), in: meta)
            }
            let error = #expect(throws: AttributionStoreError.self) {
                try AttributionStore(environment: environment, engineFingerprint: "future")
            }
            #expect(error == .schemaTooNew(found: 2, newestSupported: AttributionStore.schemaVersion))
            // The refused store gained no databases.
            let main = try environment.openDatabase(named: nil)
            #expect(try environment.read { try $0.count(in: main) } == 1)
        }
    }

    @Test func anOlderOrMalformedSchemaVersionIsRefused() throws {
        try StoreFixture.withDirectory { path in
            let environment = try Environment(path: path, configuration: .init(maximumDatabases: 32))
            let meta = try environment.openDatabase(named: "meta")
            try environment.write { try $0.put([0, 0, 0, 0], forKey: Array("schemaVersion".utf8), in: meta) }
            let old = #expect(throws: AttributionStoreError.self) {
                try AttributionStore(environment: environment, engineFingerprint: "x")
            }
            #expect(old == .schemaTooOld(found: 0, oldestSupported: AttributionStore.oldestReadableSchemaVersion))
            try environment.write { try $0.put([1, 0], forKey: Array("schemaVersion".utf8), in: meta) }
            let malformed = #expect(throws: AttributionStoreError.self) {
                try AttributionStore(environment: environment, engineFingerprint: "x")
            }
            guard case .truncatedRecord = malformed else { Issue.record("\(String(describing: malformed))"); return }
        }
    }

    @Test func aReadOnlyEnvironmentOpensAnExistingStore() throws {
        try StoreFixture.withDirectory { path in
            do {
                let store = try AttributionStore(path: path, engineFingerprint: StoreFixture.fingerprint)
                try store.write { try store.putContributor(ContributorRecord(id: 3, name: "Emmy"), in: $0) }
            }
            let readOnly = try AttributionStore(
                path: path, engineFingerprint: StoreFixture.fingerprint, configuration: .init(flags: .readOnly)
            )
            #expect(try readOnly.read { try readOnly.contributor(id: 3, in: $0) }?.name == "Emmy")
        }
    }

    @Test func aMissingFingerprintIsCorruption() throws {
        try StoreFixture.withDirectory { path in
            let environment = try Environment(path: path, configuration: .init(maximumDatabases: 32))
            let meta = try environment.openDatabase(named: "meta")
            try environment.write { try $0.put([1, 0, 0, 0], forKey: Array("schemaVersion".utf8), in: meta) }
            let error = #expect(throws: AttributionStoreError.self) {
                try AttributionStore(environment: environment, engineFingerprint: "x")
            }
            guard case .corruptRecord = error else { Issue.record("\(String(describing: error))"); return }
        }
    }
}

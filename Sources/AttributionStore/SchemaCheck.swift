import LMDB

/// The `meta` database: which schema version wrote the store and which engine configuration
/// its contents belong to.
enum SchemaCheck {
    static let versionKey = Array("schemaVersion".utf8)
    static let fingerprintKey = Array("engineFingerprint".utf8)

    /// Checks a store's meta against this build and `fingerprint`; a new store gets both
    /// recorded. An existing store is only read, so a read-only environment can open it.
    static func verify(meta: Database, fingerprint: String, environment: Environment) throws {
        let stored = try environment.read { transaction in
            (try transaction.value(forKey: versionKey, in: meta), try transaction.value(forKey: fingerprintKey, in: meta))
        }
        if let version = stored.0 {
            return try check(version: version, storedFingerprint: stored.1, against: fingerprint)
        }
        try environment.write { transaction in
            // Another process may have created the store since the read.
            if let version = try transaction.value(forKey: versionKey, in: meta) {
                let storedFingerprint = try transaction.value(forKey: fingerprintKey, in: meta)
                return try check(version: version, storedFingerprint: storedFingerprint, against: fingerprint)
            }
            var writer = RecordWriter()
            writer.appendLittleEndian(AttributionStore.schemaVersion)
            try transaction.put(writer.bytes, forKey: versionKey, in: meta)
            try transaction.put(Array(fingerprint.utf8), forKey: fingerprintKey, in: meta)
        }
    }

    private static func check(
        version versionBytes: [UInt8], storedFingerprint: [UInt8]?, against fingerprint: String
    ) throws(AttributionStoreError) {
        let version = try RecordReader.decodeInteger(UInt32.self, from: versionBytes, record: "meta", part: "schema version")
        if version > AttributionStore.schemaVersion {
            throw .schemaTooNew(found: version, newestSupported: AttributionStore.schemaVersion)
        }
        if version < AttributionStore.oldestReadableSchemaVersion {
            throw .schemaTooOld(found: version, oldestSupported: AttributionStore.oldestReadableSchemaVersion)
        }
        guard let storedFingerprint, let stored = String(validating: storedFingerprint, as: UTF8.self) else {
            throw .corruptRecord(record: "meta", reason: "the engine fingerprint is missing or not UTF-8")
        }
        guard stored == fingerprint else {
            throw .fingerprintMismatch(stored: stored, requested: fingerprint)
        }
    }
}

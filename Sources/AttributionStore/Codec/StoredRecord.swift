import LMDB

/// A record kept in one database: it knows its key and encodes the rest as a versioned value.
///
/// Values start with the encoding's version byte; keys are fixed-layout big-endian fields.
protocol StoredRecord {
    /// The record's name in error messages.
    static var recordName: String { get }
    /// The newest (and currently written) encoding version.
    static var currentVersion: UInt8 { get }
    /// The record's key bytes.
    var key: [UInt8] { get }
    /// Writes the value's fields (after the version byte).
    func encodeFields(into writer: inout RecordWriter)
    /// Reads a record from its key and its value's fields (after the version byte).
    init(key: inout RecordReader, fields: inout RecordReader) throws(AttributionStoreError)
}

extension StoredRecord {
    /// The value bytes: the version, then the fields.
    func encodedValue() -> [UInt8] {
        var writer = RecordWriter()
        writer.appendLittleEndian(Self.currentVersion)
        encodeFields(into: &writer)
        return writer.bytes
    }

    /// Decodes a record from its key and value, rejecting unknown versions, truncation and
    /// trailing bytes.
    static func decode(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) throws(AttributionStoreError) -> Self {
        var keyReader = RecordReader(key, record: recordName, part: "key")
        var valueReader = RecordReader(value, record: recordName, part: "value")
        let version = try valueReader.readLittleEndian(UInt8.self)
        guard version == currentVersion else {
            throw .unsupportedRecordVersion(record: recordName, version: version, newestSupported: currentVersion)
        }
        let record = try Self(key: &keyReader, fields: &valueReader)
        try keyReader.finish()
        try valueReader.finish()
        return record
    }

    /// Decodes a record from byte arrays (keys and values copied out of a transaction).
    static func decode(key: [UInt8], value: [UInt8]) throws(AttributionStoreError) -> Self {
        let decoded = key.withUnsafeBytes { key in
            value.withUnsafeBytes { value in
                Result { () throws(AttributionStoreError) -> Self in try decode(key: key, value: value) }
            }
        }
        return try decoded.get()
    }
}

extension Transaction {
    /// The record stored under `key`, decoded in place.
    func record<R: StoredRecord>(_: R.Type, key: [UInt8], in database: Database) throws -> R? {
        try withValue(forKey: key, in: database) { value in
            try key.withUnsafeBytes { key in try R.decode(key: key, value: value) }
        }
    }

    /// The records whose keys lie in `range`, in key order.
    func records<R: StoredRecord>(_: R.Type, in database: Database, range: KeyRange = .all) throws -> [R] {
        var found: [R] = []
        try forEach(in: database, range: range) { entry in
            found.append(try R.decode(key: entry.key, value: entry.value))
            return .proceed
        }
        return found
    }
}

extension Transaction where Access == ReadWrite {
    /// Stores `record` under its key, replacing any previous value.
    func put<R: StoredRecord>(_ record: R, in database: Database) throws(LMDBError) {
        try put(record.encodedValue(), forKey: record.key, in: database)
    }

    /// Deletes every entry whose key lies in `range`; LMDB reuses the freed pages.
    /// - Returns: The number of entries deleted.
    @discardableResult
    func deleteAll(in database: Database, range: KeyRange) throws -> Int {
        var keys: [[UInt8]] = []
        try forEach(in: database, range: range) { entry in
            keys.append(Array(entry.key))
            return .proceed
        }
        for key in keys { try delete(forKey: key, in: database) }
        return keys.count
    }
}

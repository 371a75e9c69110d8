/// What a probe's attribution was at one checkpoint, keyed by (probe name, step).
///
/// The rankings are opaque bytes to the store: the daemon encodes and decodes them.
public struct ProbeHistoryRecord: Sendable, Hashable {
    /// The probe's name.
    public var name: String
    /// The checkpoint's training step.
    public var step: UInt64
    /// When the attribution was computed.
    public var recordedAt: Timestamp
    /// The encoded rankings.
    public var payload: [UInt8]

    /// A history record.
    public init(name: String, step: UInt64, recordedAt: Timestamp, payload: [UInt8]) {
        self.name = name
        self.step = step
        self.recordedAt = recordedAt
        self.payload = payload
    }
}

extension ProbeHistoryRecord: StoredRecord {
    static let recordName = "probeHistory"
    static let currentVersion: UInt8 = 1

    var key: [UInt8] { StoreKey.probeHistory(name, step: step) }

    func encodeFields(into writer: inout RecordWriter) {
        writer.append(recordedAt)
        writer.appendLittleEndian(UInt64(payload.count))
        for byte in payload { writer.appendLittleEndian(byte) }
    }

    init(key: inout RecordReader, fields: inout RecordReader) throws(AttributionStoreError) {
        let length = try key.readBigEndian(UInt32.self)
        guard let name = String(validating: try key.readBytes(Int(length)), as: UTF8.self) else {
            throw key.corrupt("the probe name is not valid UTF-8")
        }
        self.name = name
        step = try key.readBigEndian()
        recordedAt = try fields.readTimestamp()
        let count = try fields.readLittleEndian(UInt64.self)
        guard count <= UInt64(fields.remaining) else {
            throw .truncatedRecord(record: Self.recordName, part: "value", offset: fields.offset, needed: Int(clamping: count),
                                   available: fields.remaining)
        }
        payload = Array(try fields.readBytes(Int(count)))
    }
}

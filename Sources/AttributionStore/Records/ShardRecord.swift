/// A data shard file known to the store, keyed by its ordinal (assigned in order of arrival).
public struct ShardRecord: Sendable, Hashable {
    /// Whether the shard's examples take part in attribution.
    public enum Status: Sendable, Hashable {
        /// The shard was read and its examples registered.
        case accepted
        /// The shard was refused (unreadable, duplicate example ids, …).
        case rejected(reason: String)
    }

    /// The shard's ordinal, its key.
    public var ordinal: UInt32
    /// The shard's file name (unique among shards).
    public var fileName: String
    /// The file's size in bytes when it was read.
    public var byteSize: UInt64
    /// The file's modification time when it was read.
    public var modifiedAt: Timestamp
    /// A 64-bit hash of the file's bytes (for example ``FNV1a64``), computed by the caller.
    public var contentHash: UInt64
    /// The number of examples in the shard.
    public var exampleCount: UInt64
    /// Held-out shards are used for evaluation, not attributed to.
    public var isHeldOut: Bool
    /// Accepted or rejected.
    public var status: Status

    /// A shard record.
    public init(
        ordinal: UInt32, fileName: String, byteSize: UInt64, modifiedAt: Timestamp, contentHash: UInt64,
        exampleCount: UInt64, isHeldOut: Bool, status: Status
    ) {
        self.ordinal = ordinal
        self.fileName = fileName
        self.byteSize = byteSize
        self.modifiedAt = modifiedAt
        self.contentHash = contentHash
        self.exampleCount = exampleCount
        self.isHeldOut = isHeldOut
        self.status = status
    }
}

extension ShardRecord: StoredRecord {
    static let recordName = "shard"
    static let currentVersion: UInt8 = 1

    var key: [UInt8] { StoreKey.ordinal(ordinal) }

    func encodeFields(into writer: inout RecordWriter) {
        writer.append(fileName)
        writer.appendLittleEndian(byteSize)
        writer.append(modifiedAt)
        writer.appendLittleEndian(contentHash)
        writer.appendLittleEndian(exampleCount)
        writer.append(isHeldOut)
        switch status {
        case .accepted:
            writer.appendLittleEndian(UInt8(0))
        case .rejected(let reason):
            writer.appendLittleEndian(UInt8(1))
            writer.append(reason)
        }
    }

    init(key: inout RecordReader, fields: inout RecordReader) throws(AttributionStoreError) {
        ordinal = try key.readBigEndian()
        fileName = try fields.readString()
        byteSize = try fields.readLittleEndian()
        modifiedAt = try fields.readTimestamp()
        contentHash = try fields.readLittleEndian()
        exampleCount = try fields.readLittleEndian()
        isHeldOut = try fields.readBool()
        switch try fields.readLittleEndian(UInt8.self) {
        case 0: status = .accepted
        case 1: status = .rejected(reason: try fields.readString())
        case let other: throw fields.corrupt("unknown shard status \(other)")
        }
    }
}

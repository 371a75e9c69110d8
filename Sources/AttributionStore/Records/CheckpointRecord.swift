/// A training checkpoint known to the store, keyed by its training step.
public struct CheckpointRecord: Sendable, Hashable {
    /// Where a checkpoint is in the indexing pipeline.
    public enum Status: Sendable, Hashable {
        /// Seen and recorded, not yet worked on.
        case registered
        /// Being indexed.
        case indexing
        /// Every accepted shard is indexed at this checkpoint.
        case indexed
        /// Indexing gave up.
        case failed(reason: String)
        /// Dropped by the retention policy: its indexed data is deleted and it is not indexed again.
        case retired
    }

    /// The training step the checkpoint was saved at.
    public var step: UInt64
    /// The checkpoint's folder.
    public var path: String
    /// Where the checkpoint is in the pipeline.
    public var status: Status
    /// When the checkpoint was first recorded.
    public var registeredAt: Timestamp
    /// When indexing finished, if it did.
    public var indexedAt: Timestamp?

    /// A checkpoint record.
    public init(step: UInt64, path: String, status: Status, registeredAt: Timestamp, indexedAt: Timestamp? = nil) {
        self.step = step
        self.path = path
        self.status = status
        self.registeredAt = registeredAt
        self.indexedAt = indexedAt
    }
}

extension CheckpointRecord: StoredRecord {
    static let recordName = "checkpoint"
    static let currentVersion: UInt8 = 1

    var key: [UInt8] { StoreKey.step(step) }

    func encodeFields(into writer: inout RecordWriter) {
        writer.append(path)
        switch status {
        case .registered: writer.appendLittleEndian(UInt8(0))
        case .indexing: writer.appendLittleEndian(UInt8(1))
        case .indexed: writer.appendLittleEndian(UInt8(2))
        case .failed(let reason):
            writer.appendLittleEndian(UInt8(3))
            writer.append(reason)
        case .retired: writer.appendLittleEndian(UInt8(4))
        }
        writer.append(registeredAt)
        writer.append(indexedAt)
    }

    init(key: inout RecordReader, fields: inout RecordReader) throws(AttributionStoreError) {
        step = try key.readBigEndian()
        path = try fields.readString()
        switch try fields.readLittleEndian(UInt8.self) {
        case 0: status = .registered
        case 1: status = .indexing
        case 2: status = .indexed
        case 3: status = .failed(reason: try fields.readString())
        case 4: status = .retired
        case let other: throw fields.corrupt("unknown checkpoint status \(other)")
        }
        registeredAt = try fields.readTimestamp()
        indexedAt = try fields.readOptionalTimestamp()
    }
}

/// The self-influence of one example at one checkpoint (its score against itself).
public struct SelfInfluenceRecord: Sendable, Hashable {
    /// The checkpoint's training step.
    public var step: UInt64
    /// The example's id.
    public var example: Int64
    /// The self-influence score.
    public var value: Float

    /// A self-influence record.
    public init(step: UInt64, example: Int64, value: Float) {
        self.step = step
        self.example = example
        self.value = value
    }
}

extension SelfInfluenceRecord: StoredRecord {
    static let recordName = "selfInfluence"
    static let currentVersion: UInt8 = 1

    var key: [UInt8] { StoreKey.step(step, identifier: example) }

    func encodeFields(into writer: inout RecordWriter) {
        writer.appendLittleEndian(value.bitPattern)
    }

    init(key: inout RecordReader, fields: inout RecordReader) throws(AttributionStoreError) {
        step = try key.readBigEndian()
        example = try key.readOrdered()
        value = Float(bitPattern: try fields.readLittleEndian())
    }
}

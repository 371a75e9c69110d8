/// How far indexing of one shard at one checkpoint got: the record that makes indexing
/// resumable. Written in the same transaction as the gradient blocks and factor updates it
/// describes, so it is true exactly when they are stored.
public struct ProgressRecord: Sendable, Hashable {
    /// The checkpoint's training step.
    public var step: UInt64
    /// The shard's ordinal.
    public var shard: UInt32
    /// The shard's gradient blocks are stored.
    public var gradientsDone: Bool
    /// The shard's contribution to the curvature factors is accumulated.
    public var factorsDone: Bool
    /// The number of the shard's examples indexed.
    public var examplesIndexed: UInt64

    /// A progress record.
    public init(step: UInt64, shard: UInt32, gradientsDone: Bool, factorsDone: Bool, examplesIndexed: UInt64) {
        self.step = step
        self.shard = shard
        self.gradientsDone = gradientsDone
        self.factorsDone = factorsDone
        self.examplesIndexed = examplesIndexed
    }
}

extension ProgressRecord: StoredRecord {
    static let recordName = "progress"
    static let currentVersion: UInt8 = 1

    var key: [UInt8] { StoreKey.step(step, shard) }

    func encodeFields(into writer: inout RecordWriter) {
        writer.append(gradientsDone)
        writer.append(factorsDone)
        writer.appendLittleEndian(examplesIndexed)
    }

    init(key: inout RecordReader, fields: inout RecordReader) throws(AttributionStoreError) {
        step = try key.readBigEndian()
        shard = try key.readBigEndian()
        gradientsDone = try fields.readBool()
        factorsDone = try fields.readBool()
        examplesIndexed = try fields.readLittleEndian()
    }
}

/// The key of a gradient block: checkpoint step, shard ordinal, block index within the shard.
///
/// Stored as 16 big-endian bytes, so blocks sort by step, then shard, then block.
public struct GradientBlockKey: Sendable, Hashable, Comparable {
    /// The checkpoint's training step.
    public var step: UInt64
    /// The shard's ordinal.
    public var shard: UInt32
    /// The block's index within the shard at this checkpoint.
    public var block: UInt32

    /// A block key.
    public init(step: UInt64, shard: UInt32, block: UInt32) {
        self.step = step
        self.shard = shard
        self.block = block
    }

    /// Orders keys as the store does: by step, shard, block.
    public static func < (lhs: GradientBlockKey, rhs: GradientBlockKey) -> Bool {
        (lhs.step, lhs.shard, lhs.block) < (rhs.step, rhs.shard, rhs.block)
    }

    /// The stored key bytes.
    var bytes: [UInt8] {
        var writer = RecordWriter()
        writer.appendBigEndian(step)
        writer.appendBigEndian(shard)
        writer.appendBigEndian(block)
        return writer.bytes
    }

    /// Reads a stored key.
    init(decoding bytes: UnsafeRawBufferPointer) throws(AttributionStoreError) {
        var reader = RecordReader(bytes, record: GradientBlockLayout.recordName, part: "key")
        step = try reader.readBigEndian()
        shard = try reader.readBigEndian()
        block = try reader.readBigEndian()
        try reader.finish()
    }
}

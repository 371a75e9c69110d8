/// Key layouts: big-endian fields, so LMDB's byte order is the numeric order of the fields.
enum StoreKey {
    /// A checkpoint step (8 bytes); also the prefix of every per-checkpoint key.
    static func step(_ step: UInt64) -> [UInt8] {
        var writer = RecordWriter()
        writer.appendBigEndian(step)
        return writer.bytes
    }

    /// A `UInt32` (a shard ordinal).
    static func ordinal(_ ordinal: UInt32) -> [UInt8] {
        var writer = RecordWriter()
        writer.appendBigEndian(ordinal)
        return writer.bytes
    }

    /// A sequence number (8 bytes).
    static func sequence(_ sequence: UInt64) -> [UInt8] {
        step(sequence)
    }

    /// A signed identifier, sign bit flipped so negative ids sort first.
    static func identifier(_ id: Int64) -> [UInt8] {
        var writer = RecordWriter()
        writer.appendOrdered(id)
        return writer.bytes
    }

    /// A step followed by a `UInt32` (a layer index or shard ordinal).
    static func step(_ step: UInt64, _ second: UInt32) -> [UInt8] {
        var writer = RecordWriter()
        writer.appendBigEndian(step)
        writer.appendBigEndian(second)
        return writer.bytes
    }

    /// A step followed by a signed identifier.
    static func step(_ step: UInt64, identifier: Int64) -> [UInt8] {
        var writer = RecordWriter()
        writer.appendBigEndian(step)
        writer.appendOrdered(identifier)
        return writer.bytes
    }
}

/// One coalition's property values in one game, keyed by (game fingerprint, coalition bits):
/// one entry per evaluation, so recording a value is one small write.
struct ShapleyCoalitionValueRecord: Sendable, Hashable {
    /// The game's fingerprint.
    var fingerprint: String
    /// The coalition: bit `i` set when the game's player `i` is in it.
    var bits: UInt64
    /// One value per property of the game.
    var values: [Double]
}

extension ShapleyCoalitionValueRecord: StoredRecord {
    static let recordName = "shapleyCoalition"
    static let currentVersion: UInt8 = 1

    var key: [UInt8] { StoreKey.shapleyCoalition(fingerprint, bits: bits) }

    func encodeFields(into writer: inout RecordWriter) {
        writer.append(counted: values)
    }

    init(key: inout RecordReader, fields: inout RecordReader) throws(AttributionStoreError) {
        fingerprint = try key.readLengthPrefixedString()
        bits = try key.readBigEndian()
        values = try fields.readCountedDoubles()
    }
}

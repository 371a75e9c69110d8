/// Appends the fields of a record's key or value: little-endian for values, big-endian for
/// keys (so that LMDB's byte order is numeric order).
struct RecordWriter {
    /// The bytes written so far.
    private(set) var bytes: [UInt8] = []

    /// Appends `value` least significant byte first.
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends `value` most significant byte first.
    mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends a signed key component so that byte order is numeric order: the sign bit
    /// flipped, then big-endian.
    mutating func appendOrdered(_ value: Int64) {
        appendBigEndian(UInt64(bitPattern: value) ^ (1 << 63))
    }

    /// Appends `false` as 0 and `true` as 1.
    mutating func append(_ value: Bool) {
        bytes.append(value ? 1 : 0)
    }

    /// Appends the UTF-8 byte count as a little-endian `UInt32`, then the bytes.
    mutating func append(_ text: String) {
        let utf8 = Array(text.utf8)
        appendLittleEndian(UInt32(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    /// Appends a presence byte, then the string when present.
    mutating func append(_ text: String?) {
        append(text != nil)
        if let text { append(text) }
    }

    /// Appends the floats' little-endian bit patterns (a plain copy on the little-endian host).
    mutating func append(_ values: [Float]) {
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }

    /// Appends the doubles' little-endian bit patterns (a plain copy on the little-endian host).
    mutating func append(_ values: [Double]) {
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }
}

/// Reads the fields of a record's key or value with bounds checks: running past the end, or
/// finding bytes that are not a valid encoding, throws instead of trapping.
struct RecordReader {
    private let bytes: UnsafeRawBufferPointer
    private let record: String
    private let part: String
    /// The offset of the next unread byte.
    private(set) var offset = 0

    /// A reader over `bytes`, the `part` ("key" or "value") of a `record` record.
    init(_ bytes: UnsafeRawBufferPointer, record: String, part: String) {
        self.bytes = bytes
        self.record = record
        self.part = part
    }

    /// The little-endian integer that `bytes` consist of, exactly.
    static func decodeInteger<T: FixedWidthInteger>(
        _: T.Type, from bytes: [UInt8], record: String, part: String
    ) throws(AttributionStoreError) -> T {
        let decoded = bytes.withUnsafeBytes { raw in
            Result { () throws(AttributionStoreError) -> T in
                var reader = RecordReader(raw, record: record, part: part)
                let value = try reader.readLittleEndian(T.self)
                try reader.finish()
                return value
            }
        }
        return try decoded.get()
    }

    /// The number of bytes not read yet.
    var remaining: Int { bytes.count - offset }

    /// The next `count` bytes, as a view into the underlying buffer.
    mutating func readBytes(_ count: Int) throws(AttributionStoreError) -> UnsafeRawBufferPointer {
        guard count >= 0, count <= remaining else {
            throw .truncatedRecord(record: record, part: part, offset: offset, needed: count, available: remaining)
        }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count])
    }

    /// A little-endian integer.
    mutating func readLittleEndian<T: FixedWidthInteger>(_: T.Type = T.self) throws(AttributionStoreError) -> T {
        let raw = try readBytes(MemoryLayout<T>.size)
        return T(littleEndian: raw.loadUnaligned(as: T.self))
    }

    /// A big-endian integer (a key component).
    mutating func readBigEndian<T: FixedWidthInteger>(_: T.Type = T.self) throws(AttributionStoreError) -> T {
        let raw = try readBytes(MemoryLayout<T>.size)
        return T(bigEndian: raw.loadUnaligned(as: T.self))
    }

    /// A signed key component written by ``RecordWriter/appendOrdered(_:)``.
    mutating func readOrdered() throws(AttributionStoreError) -> Int64 {
        Int64(bitPattern: try readBigEndian(UInt64.self) ^ (1 << 63))
    }

    /// A byte that must be 0 or 1.
    mutating func readBool() throws(AttributionStoreError) -> Bool {
        switch try readLittleEndian(UInt8.self) {
        case 0: return false
        case 1: return true
        case let other: throw corrupt("a boolean byte is \(other)")
        }
    }

    /// A length-prefixed UTF-8 string.
    mutating func readString() throws(AttributionStoreError) -> String {
        let length = try readLittleEndian(UInt32.self)
        let utf8 = try readBytes(Int(length))
        guard let text = String(validating: utf8, as: UTF8.self) else { throw corrupt("a string is not valid UTF-8") }
        return text
    }

    /// A presence byte, then a string when present.
    mutating func readOptionalString() throws(AttributionStoreError) -> String? {
        try readBool() ? try readString() : nil
    }

    /// `count` little-endian floats, checked against the remaining bytes before allocating.
    mutating func readFloats(_ count: UInt64) throws(AttributionStoreError) -> [Float] {
        try readArray(count, of: Float.self)
    }

    /// `count` little-endian doubles, checked against the remaining bytes before allocating.
    mutating func readDoubles(_ count: UInt64) throws(AttributionStoreError) -> [Double] {
        try readArray(count, of: Double.self)
    }

    /// A plain copy: the host is little-endian (see `HostByteOrder.swift`), and the source may
    /// be unaligned, which `copyMemory` does not mind.
    private mutating func readArray<T: BitwiseCopyable>(_ count: UInt64, of _: T.Type) throws(AttributionStoreError) -> [T] {
        let raw = try readBytes(try byteCount(count, width: MemoryLayout<T>.stride))
        let elements = raw.count / MemoryLayout<T>.stride
        return [T](unsafeUninitializedCapacity: elements) { buffer, initialized in
            if let source = raw.baseAddress, let destination = buffer.baseAddress {
                UnsafeMutableRawPointer(destination).copyMemory(from: source, byteCount: raw.count)
            }
            initialized = elements
        }
    }

    /// Throws unless every byte was read.
    func finish() throws(AttributionStoreError) {
        guard remaining == 0 else { throw corrupt("\(remaining) unexpected bytes after the \(part) at offset \(offset)") }
    }

    /// A corruption error for this record.
    func corrupt(_ reason: String) -> AttributionStoreError {
        .corruptRecord(record: record, reason: "\(part): \(reason)")
    }

    /// `count × width` as a byte count, or a truncation error when it cannot fit.
    private func byteCount(_ count: UInt64, width: Int) throws(AttributionStoreError) -> Int {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: UInt64(width))
        guard !overflow, bytes <= UInt64(remaining) else {
            throw .truncatedRecord(
                record: record, part: part, offset: offset, needed: overflow ? .max : Int(clamping: bytes), available: remaining
            )
        }
        return Int(bytes)
    }
}

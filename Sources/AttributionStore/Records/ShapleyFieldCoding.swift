// Key layouts and field codings shared by the Shapley records.

extension StoreKey {
    /// A string key component: its UTF-8 length (big-endian `UInt32`), then the bytes, so no
    /// component is a prefix of another's and a key can hold several strings before a number.
    static func lengthPrefixed(_ text: String) -> [UInt8] {
        let utf8 = Array(text.utf8)
        var writer = RecordWriter()
        writer.appendBigEndian(UInt32(utf8.count))
        return writer.bytes + utf8
    }

    /// The prefix of every ``ShapleyValuationRecord`` key of `property`, or of `property` and
    /// `estimator` when that is given.
    static func shapleyValuationPrefix(property: String, estimator: String?) -> [UInt8] {
        lengthPrefixed(property) + (estimator.map(lengthPrefixed) ?? [])
    }

    /// The key of a ``ShapleyGameRecord``, also the prefix of its coalitions' keys.
    static func shapleyGame(_ fingerprint: String) -> [UInt8] {
        lengthPrefixed(fingerprint)
    }

    /// The key of one coalition's values in game `fingerprint`.
    static func shapleyCoalition(_ fingerprint: String, bits: UInt64) -> [UInt8] {
        var writer = RecordWriter()
        writer.appendBigEndian(bits)
        return shapleyGame(fingerprint) + writer.bytes
    }
}

extension RecordReader {
    /// A string key component written by ``StoreKey/lengthPrefixed(_:)``.
    mutating func readLengthPrefixedString() throws(AttributionStoreError) -> String {
        let length = try readBigEndian(UInt32.self)
        guard let text = String(validating: try readBytes(Int(length)), as: UTF8.self) else {
            throw corrupt("a string is not valid UTF-8")
        }
        return text
    }

    /// A count followed by that many items of at least `minimumItemSize` bytes each; the count is
    /// checked against the remaining bytes before anything is reserved.
    mutating func readCount(minimumItemSize: Int, of what: String) throws(AttributionStoreError) -> Int {
        let count = try readLittleEndian(UInt64.self)
        let (bytes, overflow) = count.multipliedReportingOverflow(by: UInt64(minimumItemSize))
        guard !overflow, bytes <= UInt64(remaining) else {
            throw corrupt("\(count) \(what) cannot fit in \(remaining) bytes")
        }
        return Int(count)
    }

    /// A count, then that many length-prefixed strings (see ``RecordWriter/append(strings:)``).
    mutating func readStrings(of what: String) throws(AttributionStoreError) -> [String] {
        let count = try readCount(minimumItemSize: MemoryLayout<UInt32>.size, of: what)
        var strings: [String] = []
        strings.reserveCapacity(count)
        for _ in 0..<count { strings.append(try readString()) }
        return strings
    }

    /// A count, then that many doubles (see ``RecordWriter/append(counted:)``).
    mutating func readCountedDoubles() throws(AttributionStoreError) -> [Double] {
        try readDoubles(try readLittleEndian(UInt64.self))
    }

    /// A double written as its little-endian bit pattern.
    mutating func readDouble() throws(AttributionStoreError) -> Double {
        Double(bitPattern: try readLittleEndian(UInt64.self))
    }

    /// A signed 64-bit count or size, as an `Int`.
    mutating func readInt() throws(AttributionStoreError) -> Int {
        Int(try readLittleEndian(Int64.self))
    }
}

extension RecordWriter {
    /// Appends the number of strings (`UInt64`), then each string.
    mutating func append(strings: [String]) {
        appendLittleEndian(UInt64(strings.count))
        for text in strings { append(text) }
    }

    /// Appends the number of doubles (`UInt64`), then the doubles.
    mutating func append(counted values: [Double]) {
        appendLittleEndian(UInt64(values.count))
        append(values)
    }

    /// Appends a double's bit pattern, little-endian.
    mutating func append(double value: Double) {
        appendLittleEndian(value.bitPattern)
    }

    /// Appends an `Int` as a little-endian `Int64`.
    mutating func append(int value: Int) {
        appendLittleEndian(Int64(value))
    }
}

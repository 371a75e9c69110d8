/// Reads DEFLATE's bit stream: bits are packed starting at each byte's least significant bit.
///
/// Up to 64 bits wait in `buffer`, so Huffman decoding can look ahead without touching the
/// input byte by byte. Reading past the end throws `InflateError.truncated`.
struct InflateBitReader {
    private let bytes: [UInt8]
    /// The next input byte not yet moved into `buffer`.
    private var position: Int
    /// Bits read ahead, the next one in the least significant place.
    private(set) var buffer: UInt64 = 0
    /// How many bits of `buffer` are valid.
    private(set) var bitCount = 0

    init(bytes: [UInt8], position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    /// Moves whole input bytes into the buffer while there is room; at the end of the input,
    /// fewer bits may be left than asked for later, which the readers check.
    mutating func refill() {
        while bitCount <= 56 && position < bytes.count {
            buffer |= UInt64(bytes[position]) << UInt64(bitCount)
            position += 1
            bitCount += 8
        }
    }

    /// The next `count` bits (at most 32) as an integer, first bit least significant.
    mutating func bits(_ count: Int) throws(InflateError) -> Int {
        if bitCount < count {
            refill()
            guard bitCount >= count else { throw .truncated }
        }
        let value = Int(buffer & ((1 << UInt64(count)) - 1))
        drop(count)
        return value
    }

    /// Discards `count` bits already in the buffer.
    mutating func drop(_ count: Int) {
        buffer >>= UInt64(count)
        bitCount -= count
    }

    /// Skips to the next byte boundary and hands whole read-ahead bytes back to the input, so
    /// byte-aligned data (stored blocks, the Adler-32) can be read straight from it.
    mutating func alignToByte() {
        drop(bitCount % 8)
        position -= bitCount / 8
        buffer = 0
        bitCount = 0
    }

    /// The next `count` bytes; the reader must be byte-aligned.
    mutating func alignedBytes(_ count: Int) throws(InflateError) -> ArraySlice<UInt8> {
        precondition(bitCount == 0, "aligned reads need alignToByte() first")
        guard count <= bytes.count - position else { throw .truncated }
        defer { position += count }
        return bytes[position..<position + count]
    }
}

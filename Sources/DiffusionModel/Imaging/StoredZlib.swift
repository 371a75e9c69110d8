/// zlib streams (RFC 1950) whose deflate data (RFC 1951) is a series of stored blocks.
enum StoredZlib {
    /// The most bytes one stored block can hold (its length field is 16 bits).
    static let maximumBlockLength = 65_535

    /// `payload` as a zlib stream: header, stored blocks, Adler-32 of the payload.
    static func stream(_ payload: [UInt8]) -> [UInt8] {
        // CMF 0x78: deflate with a 32 KiB window; FLG 0x01: no dictionary, fastest level, and
        // (0x78 << 8 | 0x01) is a multiple of 31 as the header check requires.
        var stream: [UInt8] = [0x78, 0x01]
        stream.reserveCapacity(payload.count + payload.count / maximumBlockLength * 5 + 11)
        var start = 0
        repeat {
            let end = min(start + maximumBlockLength, payload.count)
            let length = UInt16(end - start)
            stream.append(end == payload.count ? 1 : 0)  // BFINAL bit, BTYPE 00 (stored), padding to the byte
            stream += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
            stream += payload[start..<end]
            start = end
        } while start < payload.count
        stream += PNGWriter.bigEndian(Checksums.adler32(payload))
        return stream
    }
}

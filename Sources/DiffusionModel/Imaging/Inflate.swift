/// Decompresses zlib streams (RFC 1950) and raw DEFLATE data (RFC 1951): stored, fixed-Huffman
/// and dynamic-Huffman blocks.
///
/// Every read is bounds-checked: malformed or truncated input throws an `InflateError` and never
/// traps. Each decoded code either consumes input or ends a block, so decoding always ends.
/// `maximumOutputSize` caps the output, since a few kilobytes of DEFLATE can expand to gigabytes.
public enum Inflate {
    /// The bytes a zlib stream decompresses to, after checking its header and its Adler-32.
    ///
    /// Bytes after the Adler-32 are ignored, as zlib itself does. Preset dictionaries are not
    /// supported (PNG forbids them).
    public static func decompressZlib(_ stream: [UInt8], maximumOutputSize: Int) throws(InflateError) -> [UInt8] {
        guard stream.count >= 2 else { throw .truncated }
        let method = stream[0], flags = stream[1]
        guard method & 0x0F == 8 else {
            throw .invalidZlibHeader(reason: "compression method \(method & 0x0F), expected 8 (deflate)")
        }
        guard method >> 4 <= 7 else {
            throw .invalidZlibHeader(reason: "window size exponent \(method >> 4) exceeds 7 (32 KiB)")
        }
        guard (UInt16(method) << 8 | UInt16(flags)) % 31 == 0 else {
            throw .invalidZlibHeader(reason: "header check bits do not make the header a multiple of 31")
        }
        guard flags & 0x20 == 0 else { throw .presetDictionaryUnsupported }

        var decoder = InflateDecoder(reader: InflateBitReader(bytes: stream, position: 2), maximumOutputSize: maximumOutputSize)
        try decoder.decodeBlocks()
        var reader = decoder.reader
        reader.alignToByte()
        let stored = try reader.alignedBytes(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let output = decoder.finishedOutput()
        let computed = Checksums.adler32(output)
        guard stored == computed else { throw .checksumMismatch(stored: stored, computed: computed) }
        return output
    }

    /// The bytes raw DEFLATE data (no zlib header or checksum) decompresses to.
    public static func decompressDeflate(_ data: [UInt8], maximumOutputSize: Int) throws(InflateError) -> [UInt8] {
        var decoder = InflateDecoder(reader: InflateBitReader(bytes: data), maximumOutputSize: maximumOutputSize)
        try decoder.decodeBlocks()
        return decoder.finishedOutput()
    }
}

/// A canonical Huffman code (RFC 1951 §3.2.2) given by its code lengths, decoded through a
/// lookup table.
///
/// Codes of up to `tableBits` bits, almost all of them in practice, are found with one table
/// lookup on the next bits of the stream. Longer codes fall back to walking the canonical code
/// one length at a time, which needs only the count of codes per length.
struct InflateHuffmanCode: Sendable {
    /// Which incomplete codes (ones that leave part of the code space unused) are acceptable.
    enum Kind {
        /// The code-length code of a dynamic block: must be complete (or empty).
        case codeLengths
        /// Literal/length and distance codes: may also be a single code of one bit, as zlib
        /// writes when a block uses a single distance.
        case data
    }

    /// Codes this short or shorter are decoded by a single lookup.
    private static let tableBits = 9
    /// The longest code DEFLATE allows.
    private static let maximumLength = 15

    /// Indexed by the next `tableBits` stream bits: `symbol << 4 | length`, or 0 where no code of
    /// at most `tableBits` bits matches.
    private var table: [UInt16]
    /// How many codes have each length, `0...maximumLength`.
    private var lengthCounts: [Int]
    /// The symbols in canonical order: by code length, then by symbol value.
    private var sortedSymbols: [UInt16]

    /// The code for `lengths[symbol]` (0 = symbol unused), checked to be a valid prefix code.
    static func validated(lengths: [Int], kind: Kind) throws(InflateError) -> InflateHuffmanCode {
        var counts = [Int](repeating: 0, count: maximumLength + 1)
        for length in lengths {
            guard (0...maximumLength).contains(length) else {
                throw .invalidCodeLengths(reason: "code length \(length) is out of range")
            }
            counts[length] += 1
        }
        let used = lengths.count - counts[0]
        var unusedCodes = 1
        for length in 1...maximumLength {
            unusedCodes = unusedCodes * 2 - counts[length]
            guard unusedCodes >= 0 else { throw .invalidCodeLengths(reason: "over-subscribed code") }
        }
        let singleOneBitCode = used == 1 && counts[1] == 1
        if used > 0 && unusedCodes > 0 && !(kind == .data && singleOneBitCode) {
            throw .invalidCodeLengths(reason: "incomplete code")
        }
        return InflateHuffmanCode(validLengths: lengths)
    }

    /// Builds the tables; `lengths` must describe a prefix code (at most complete).
    private init(validLengths lengths: [Int]) {
        var counts = [Int](repeating: 0, count: Self.maximumLength + 1)
        for length in lengths { counts[length] += 1 }
        counts[0] = 0
        var nextCode = [Int](repeating: 0, count: Self.maximumLength + 1)
        var offsets = [Int](repeating: 0, count: Self.maximumLength + 2)
        var code = 0
        for length in 1...Self.maximumLength {
            code = (code + counts[length - 1]) << 1
            nextCode[length] = code
            offsets[length + 1] = offsets[length] + counts[length]
        }

        var table = [UInt16](repeating: 0, count: 1 << Self.tableBits)
        var sorted = [UInt16](repeating: 0, count: offsets[Self.maximumLength + 1])
        for (symbol, length) in lengths.enumerated() where length > 0 {
            sorted[offsets[length]] = UInt16(symbol)
            offsets[length] += 1
            let codeValue = nextCode[length]
            nextCode[length] += 1
            guard length <= Self.tableBits else { continue }
            // The stream holds a code's first (most significant) bit first, so the table index
            // is the code with its bits reversed; every continuation of it maps to the same entry.
            var reversed = 0
            for bit in 0..<length where codeValue & (1 << (length - 1 - bit)) != 0 {
                reversed |= 1 << bit
            }
            var index = reversed
            while index < table.count {
                table[index] = UInt16(symbol << 4 | length)
                index += 1 << length
            }
        }
        self.table = table
        self.lengthCounts = counts
        self.sortedSymbols = sorted
    }

    /// Reads one code from the stream and returns its symbol.
    func decodeSymbol(from reader: inout InflateBitReader) throws(InflateError) -> Int {
        if reader.bitCount < Self.maximumLength { reader.refill() }
        let entry = Int(table[Int(reader.buffer & UInt64((1 << Self.tableBits) - 1))])
        if entry != 0 {
            let length = entry & 0xF
            guard length <= reader.bitCount else { throw .truncated }
            reader.drop(length)
            return entry >> 4
        }
        // Canonical walk: codes of one length are consecutive integers starting at `first`.
        var code = 0, first = 0, index = 0
        for length in 1...Self.maximumLength {
            guard length <= reader.bitCount else { throw .truncated }
            code |= Int((reader.buffer >> UInt64(length - 1)) & 1)
            let count = lengthCounts[length]
            if code - first < count {
                reader.drop(length)
                return Int(sortedSymbols[index + code - first])
            }
            index += count
            first = (first + count) << 1
            code <<= 1
        }
        throw .invalidCode
    }

    /// The fixed literal/length code of block type 1 (RFC 1951 §3.2.6).
    static let fixedLiteralLength = InflateHuffmanCode(
        validLengths: [Int](repeating: 8, count: 144) + [Int](repeating: 9, count: 112)
            + [Int](repeating: 7, count: 24) + [Int](repeating: 8, count: 8)
    )

    /// The fixed distance code of block type 1: all 32 five-bit codes (30 and 31 are invalid in data).
    static let fixedDistance = InflateHuffmanCode(validLengths: [Int](repeating: 5, count: 32))
}

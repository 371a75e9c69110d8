/// Decodes DEFLATE blocks (RFC 1951 §3.2) from a bit reader into a growing output buffer.
struct InflateDecoder {
    /// The input, positioned after the last block once `decodeBlocks()` returns.
    private(set) var reader: InflateBitReader
    private let maximumOutputSize: Int
    /// Output storage: the first `count` bytes are decoded, the rest is room to grow into.
    private var output: [UInt8]
    private var count = 0

    init(reader: InflateBitReader, maximumOutputSize: Int) {
        precondition(maximumOutputSize >= 0, "the output size limit must not be negative")
        self.reader = reader
        self.maximumOutputSize = maximumOutputSize
        output = [UInt8](repeating: 0, count: min(maximumOutputSize, 1 << 16))
    }

    /// The decoded bytes.
    func finishedOutput() -> [UInt8] {
        Array(output[0..<count])
    }

    /// Decodes blocks until the one marked final.
    mutating func decodeBlocks() throws(InflateError) {
        var isFinal = false
        while !isFinal {
            isFinal = try reader.bits(1) == 1
            switch try reader.bits(2) {
            case 0: try copyStoredBlock()
            case 1: try decodeCompressedBlock(literalLength: .fixedLiteralLength, distance: .fixedDistance)
            case 2:
                let (literalLength, distance) = try InflateDynamicHeader.read(from: &reader)
                try decodeCompressedBlock(literalLength: literalLength, distance: distance)
            default: throw .reservedBlockType
            }
        }
    }

    /// Block type 0: a byte-aligned length, its complement, and that many literal bytes.
    private mutating func copyStoredBlock() throws(InflateError) {
        reader.alignToByte()
        let header = try reader.alignedBytes(4)
        let start = header.startIndex
        let length = Int(header[start]) | Int(header[start + 1]) << 8
        let complement = Int(header[start + 2]) | Int(header[start + 3]) << 8
        guard length ^ complement == 0xFFFF else { throw .storedLengthMismatch(length: length, complement: complement) }
        let bytes = try reader.alignedBytes(length)
        try reserve(length)
        output.replaceSubrange(count..<count + length, with: bytes)
        count += length
    }

    /// Block types 1 and 2: literals and (length, distance) back-references up to end-of-block.
    private mutating func decodeCompressedBlock(literalLength: InflateHuffmanCode, distance: InflateHuffmanCode) throws(InflateError) {
        while true {
            let symbol = try literalLength.decodeSymbol(from: &reader)
            if symbol < 256 {
                try reserve(1)
                output[count] = UInt8(symbol)
                count += 1
                continue
            }
            if symbol == 256 { return }
            let lengthIndex = symbol - 257
            guard lengthIndex < Self.lengthBases.count else { throw .invalidSymbol(symbol) }
            let length = Self.lengthBases[lengthIndex] + (try reader.bits(Self.lengthExtraBits[lengthIndex]))
            let distanceSymbol = try distance.decodeSymbol(from: &reader)
            guard distanceSymbol < Self.distanceBases.count else { throw .invalidSymbol(distanceSymbol) }
            let offset = Self.distanceBases[distanceSymbol] + (try reader.bits(Self.distanceExtraBits[distanceSymbol]))
            guard offset <= count else { throw .distanceTooFar(distance: offset, available: count) }
            try reserve(length)
            // Byte by byte on purpose: a distance shorter than the length repeats the bytes
            // this same copy is writing.
            for index in count..<count + length {
                output[index] = output[index - offset]
            }
            count += length
        }
    }

    /// Makes room for `extra` more bytes, doubling the storage up to the size limit.
    private mutating func reserve(_ extra: Int) throws(InflateError) {
        let needed = count + extra
        guard needed <= maximumOutputSize else { throw .outputTooLarge(limit: maximumOutputSize) }
        guard needed > output.count else { return }
        let grown = min(max(needed, output.count * 2), maximumOutputSize)
        output.append(contentsOf: repeatElement(0, count: grown - output.count))
    }

    /// Lengths of symbols 257…285 before their extra bits (RFC 1951 §3.2.5).
    private static let lengthBases = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
        35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
    ]
    /// Extra bits after length symbols 257…285.
    private static let lengthExtraBits = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
        3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ]
    /// Distances of symbols 0…29 before their extra bits.
    private static let distanceBases = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
        257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
    ]
    /// Extra bits after distance symbols 0…29.
    private static let distanceExtraBits = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
        7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
    ]
}

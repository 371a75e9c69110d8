/// The header of a dynamic-Huffman block (RFC 1951 §3.2.7): the code lengths of its
/// literal/length and distance codes, themselves Huffman-coded with a code-length code.
enum InflateDynamicHeader {
    /// The order in which the code-length code's own lengths are stored.
    private static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    /// Reads the header and builds the block's two codes.
    static func read(from reader: inout InflateBitReader) throws(InflateError) -> (literalLength: InflateHuffmanCode, distance: InflateHuffmanCode) {
        let literalLengthCount = try reader.bits(5) + 257
        let distanceCount = try reader.bits(5) + 1
        let codeLengthCount = try reader.bits(4) + 4
        guard literalLengthCount <= 286 else {
            throw .invalidCodeLengths(reason: "\(literalLengthCount) literal/length codes, at most 286 exist")
        }
        guard distanceCount <= 30 else {
            throw .invalidCodeLengths(reason: "\(distanceCount) distance codes, at most 30 exist")
        }

        var codeLengthLengths = [Int](repeating: 0, count: codeLengthOrder.count)
        for symbol in codeLengthOrder.prefix(codeLengthCount) {
            codeLengthLengths[symbol] = try reader.bits(3)
        }
        let codeLengthCode = try InflateHuffmanCode.validated(lengths: codeLengthLengths, kind: .codeLengths)

        let total = literalLengthCount + distanceCount
        var lengths: [Int] = []
        lengths.reserveCapacity(total)
        while lengths.count < total {
            let symbol = try codeLengthCode.decodeSymbol(from: &reader)
            let value: Int, repeats: Int
            switch symbol {
            case 0...15:
                (value, repeats) = (symbol, 1)
            case 16:
                guard let previous = lengths.last else {
                    throw .invalidCodeLengths(reason: "repeat of the previous length with no previous length")
                }
                (value, repeats) = (previous, 3 + (try reader.bits(2)))
            case 17:
                (value, repeats) = (0, 3 + (try reader.bits(3)))
            default:
                (value, repeats) = (0, 11 + (try reader.bits(7)))
            }
            guard lengths.count + repeats <= total else {
                throw .invalidCodeLengths(reason: "a repeat runs past the \(total) code lengths")
            }
            lengths.append(contentsOf: repeatElement(value, count: repeats))
        }
        guard lengths[256] > 0 else { throw .invalidCodeLengths(reason: "the end-of-block symbol has no code") }

        let literalLength = try InflateHuffmanCode.validated(lengths: Array(lengths[..<literalLengthCount]), kind: .data)
        let distance = try InflateHuffmanCode.validated(lengths: Array(lengths[literalLengthCount...]), kind: .data)
        return (literalLength, distance)
    }
}

/// Why a zlib stream or raw DEFLATE data could not be decompressed.
public enum InflateError: Error, Equatable, CustomStringConvertible {
    /// The data ended before the stream did.
    case truncated
    /// The two-byte zlib header is not a valid DEFLATE header; `reason` says which part.
    case invalidZlibHeader(reason: String)
    /// The stream needs a preset dictionary, which no caller here supplies.
    case presetDictionaryUnsupported
    /// A block header named block type 3, which DEFLATE reserves.
    case reservedBlockType
    /// A stored block's length and its ones' complement disagree.
    case storedLengthMismatch(length: Int, complement: Int)
    /// A dynamic block's Huffman code description is inconsistent; `reason` says how.
    case invalidCodeLengths(reason: String)
    /// The bits do not spell any code of the block's Huffman code.
    case invalidCode
    /// A decoded symbol is one DEFLATE never uses in data (literal/length 286–287, distance 30–31).
    case invalidSymbol(Int)
    /// A back-reference reaches before the start of the output.
    case distanceTooFar(distance: Int, available: Int)
    /// The Adler-32 stored after the data is not the checksum of the decompressed bytes.
    case checksumMismatch(stored: UInt32, computed: UInt32)
    /// The output would exceed the caller's size limit (a guard against decompression bombs).
    case outputTooLarge(limit: Int)

    /// A readable explanation of the problem.
    public var description: String {
        switch self {
        case .truncated:
            "compressed data is truncated"
        case .invalidZlibHeader(let reason):
            "invalid zlib header: \(reason)"
        case .presetDictionaryUnsupported:
            "zlib stream needs a preset dictionary, which is not supported"
        case .reservedBlockType:
            "deflate block uses the reserved block type 3"
        case .storedLengthMismatch(let length, let complement):
            "stored block length \(length) does not match its complement \(complement)"
        case .invalidCodeLengths(let reason):
            "invalid Huffman code lengths: \(reason)"
        case .invalidCode:
            "invalid Huffman code in compressed data"
        case .invalidSymbol(let symbol):
            "invalid symbol \(symbol) in compressed data"
        case .distanceTooFar(let distance, let available):
            "back-reference distance \(distance) reaches before the start of the output (\(available) bytes so far)"
        case .checksumMismatch(let stored, let computed):
            "Adler-32 mismatch: stored \(hex(stored)), computed \(hex(computed))"
        case .outputTooLarge(let limit):
            "decompressed data exceeds the limit of \(limit) bytes"
        }
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}

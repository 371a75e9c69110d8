/// Why a PNG file could not be read: the file system, the container (signature, chunks,
/// checksums), the header's contents, or the compressed image data.
public enum PNGReadError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or read.
    case cannotRead(path: String, reason: String)
    /// The first eight bytes are not the PNG signature.
    case notPNG
    /// The file ends inside the chunk starting at byte `offset`.
    case truncatedChunk(offset: Int)
    /// A chunk declares a length above the 2³¹ − 1 the format allows.
    case chunkTooLong(type: String, length: Int)
    /// A chunk's type is not four ASCII letters.
    case invalidChunkType(offset: Int)
    /// A chunk's stored CRC-32 does not match its type and data.
    case chunkChecksumMismatch(type: String, stored: UInt32, computed: UInt32)
    /// The first chunk is not IHDR.
    case missingHeader
    /// IHDR holds impossible or unsupported values; `reason` says which.
    case invalidHeader(reason: String)
    /// The image has more pixels than the reader's limit.
    case imageTooLarge(width: Int, height: Int, limit: Int)
    /// A chunk appears where the format forbids it; `reason` says why.
    case misplacedChunk(type: String, reason: String)
    /// A chunk the format requires is absent.
    case missingChunk(type: String)
    /// A critical chunk (upper-case first letter) this reader does not know, so cannot skip.
    case unknownCriticalChunk(type: String)
    /// PLTE is malformed; `reason` says how.
    case invalidPalette(reason: String)
    /// A pixel names a palette entry beyond the palette's end.
    case paletteIndexOutOfRange(index: Int, paletteSize: Int)
    /// The concatenated IDAT data is not a valid zlib stream.
    case invalidImageData(InflateError)
    /// The image data decompresses to fewer bytes than the header's size requires.
    case imageDataTooShort(expected: Int, actual: Int)
    /// The image data decompresses to more bytes than the header's size allows.
    case imageDataTooLong(expected: Int)
    /// A scanline starts with a filter type other than 0–4.
    case invalidFilterType(type: Int, row: Int)

    /// A readable explanation of the problem.
    public var description: String {
        switch self {
        case .cannotRead(let path, let reason): "cannot read PNG file \(path): \(reason)"
        case .notPNG: "not a PNG file: the PNG signature is missing"
        case .truncatedChunk(let offset): "PNG file is truncated: it ends inside the chunk at byte \(offset)"
        case .chunkTooLong(let type, let length): "PNG chunk \(type) declares \(length) bytes, more than 2^31 - 1"
        case .invalidChunkType(let offset): "PNG chunk at byte \(offset) has a type that is not four ASCII letters"
        case .chunkChecksumMismatch(let type, let stored, let computed):
            "PNG chunk \(type) is corrupt: stored CRC-32 \(String(stored, radix: 16)), computed \(String(computed, radix: 16))"
        case .missingHeader: "PNG file does not start with an IHDR chunk"
        case .invalidHeader(let reason): "invalid PNG header: \(reason)"
        case .imageTooLarge(let width, let height, let limit):
            "PNG image is \(width)x\(height), more than the limit of \(limit) pixels"
        case .misplacedChunk(let type, let reason): "misplaced PNG chunk \(type): \(reason)"
        case .missingChunk(let type): "PNG file has no \(type) chunk"
        case .unknownCriticalChunk(let type): "PNG file has an unknown critical chunk \(type)"
        case .invalidPalette(let reason): "invalid PNG palette: \(reason)"
        case .paletteIndexOutOfRange(let index, let paletteSize):
            "PNG pixel uses palette entry \(index), but the palette has \(paletteSize) entries"
        case .invalidImageData(let cause): "invalid PNG image data: \(cause)"
        case .imageDataTooShort(let expected, let actual):
            "PNG image data is \(actual) bytes after decompression, the header's size needs \(expected)"
        case .imageDataTooLong(let expected):
            "PNG image data is longer than the \(expected) bytes the header's size needs"
        case .invalidFilterType(let type, let row): "PNG scanline \(row) has invalid filter type \(type)"
        }
    }
}

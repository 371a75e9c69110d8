/// What a PNG's chunks say about the image, gathered and checked against the chunk-ordering
/// rules (specification §5.6): the header, the palette, and the compressed image data.
struct PNGReaderContents {
    let header: PNGImageHeader
    /// PLTE's bytes, `R, G, B` per entry; empty when there is no PLTE.
    let palette: [UInt8]
    /// All IDAT chunks' data, concatenated: one zlib stream.
    let compressedImageData: [UInt8]

    /// Reads the chunks of a file, which end with IEND. Ancillary chunks (text, gamma,
    /// transparency, …) are skipped; their CRCs were still checked.
    init(chunks: [PNGChunk]) throws(PNGReadError) {
        guard let first = chunks.first, first.type == "IHDR" else { throw .missingHeader }
        let header = try PNGImageHeader(chunkData: first.data)
        var palette: [UInt8]?
        var imageData: [UInt8] = []
        var imageDataState = ImageDataState.notStarted
        for chunk in chunks.dropFirst() {
            if chunk.type == "IDAT" {
                guard imageDataState != .ended else {
                    throw .misplacedChunk(type: "IDAT", reason: "IDAT chunks must be consecutive")
                }
                imageDataState = .inProgress
                imageData += chunk.data
                continue
            }
            if imageDataState == .inProgress { imageDataState = .ended }
            switch chunk.type {
            case "IHDR":
                throw .misplacedChunk(type: "IHDR", reason: "only one IHDR is allowed")
            case "PLTE":
                guard palette == nil else { throw .misplacedChunk(type: "PLTE", reason: "only one PLTE is allowed") }
                guard imageDataState == .notStarted else { throw .misplacedChunk(type: "PLTE", reason: "PLTE must come before IDAT") }
                guard header.colourType != .greyscale && header.colourType != .greyscaleAlpha else {
                    throw .misplacedChunk(type: "PLTE", reason: "greyscale images must not have a palette")
                }
                palette = try Self.validatedPalette(chunk.data)
            case "IEND":
                break
            default:
                guard !chunk.isCritical else { throw .unknownCriticalChunk(type: chunk.type) }
            }
        }
        guard imageDataState != .notStarted else { throw .missingChunk(type: "IDAT") }
        if header.colourType == .palette && palette == nil { throw .missingChunk(type: "PLTE") }
        self.header = header
        // A palette in an RGB image is only a quantisation hint, unused here.
        self.palette = header.colourType == .palette ? palette ?? [] : []
        self.compressedImageData = imageData
    }

    /// Where the reader is relative to the run of IDAT chunks.
    private enum ImageDataState { case notStarted, inProgress, ended }

    /// PLTE's data: 1 to 256 entries of three bytes. More entries than the bit depth can
    /// address are tolerated, as common decoders do; a pixel using a missing entry is an error.
    private static func validatedPalette(_ data: ArraySlice<UInt8>) throws(PNGReadError) -> [UInt8] {
        guard !data.isEmpty, data.count % 3 == 0 else {
            throw .invalidPalette(reason: "\(data.count) bytes is not a positive multiple of 3")
        }
        guard data.count / 3 <= 256 else { throw .invalidPalette(reason: "\(data.count / 3) entries, at most 256 allowed") }
        return Array(data)
    }
}

/// How a PNG stores a pixel: the colour type of IHDR.
enum PNGColourType: UInt8 {
    case greyscale = 0
    case rgb = 2
    case palette = 3
    case greyscaleAlpha = 4
    case rgba = 6

    /// Samples per pixel.
    var channels: Int {
        switch self {
        case .greyscale, .palette: 1
        case .greyscaleAlpha: 2
        case .rgb: 3
        case .rgba: 4
        }
    }

    /// The bit depths the specification allows for this colour type.
    var allowedBitDepths: [Int] {
        switch self {
        case .greyscale: [1, 2, 4, 8, 16]
        case .palette: [1, 2, 4, 8]
        case .rgb, .greyscaleAlpha, .rgba: [8, 16]
        }
    }
}

/// The contents of a PNG's IHDR chunk, validated.
struct PNGImageHeader {
    let width: Int
    let height: Int
    /// Bits per sample (per palette index for palette images).
    let bitDepth: Int
    let colourType: PNGColourType
    /// Adam7 interlacing rather than rows in order.
    let isInterlaced: Bool

    /// Parses and checks the 13 bytes of IHDR.
    init(chunkData data: ArraySlice<UInt8>) throws(PNGReadError) {
        guard data.count == 13 else { throw .invalidHeader(reason: "IHDR holds \(data.count) bytes, expected 13") }
        let bytes = Array(data)
        let width = Int(bytes[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        let height = Int(bytes[4..<8].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        let maximumSide = Int(Int32.max)
        guard (1...maximumSide).contains(width), (1...maximumSide).contains(height) else {
            throw .invalidHeader(reason: "size \(width)x\(height) is not between 1 and 2^31 - 1 on each side")
        }
        guard let colourType = PNGColourType(rawValue: bytes[9]) else {
            throw .invalidHeader(reason: "colour type \(bytes[9]) does not exist")
        }
        let bitDepth = Int(bytes[8])
        guard colourType.allowedBitDepths.contains(bitDepth) else {
            throw .invalidHeader(reason: "bit depth \(bitDepth) is not allowed for colour type \(colourType.rawValue)")
        }
        guard bytes[10] == 0 else { throw .invalidHeader(reason: "compression method \(bytes[10]), only 0 exists") }
        guard bytes[11] == 0 else { throw .invalidHeader(reason: "filter method \(bytes[11]), only 0 exists") }
        guard bytes[12] <= 1 else { throw .invalidHeader(reason: "interlace method \(bytes[12]), only 0 and 1 exist") }
        self.width = width
        self.height = height
        self.bitDepth = bitDepth
        self.colourType = colourType
        self.isInterlaced = bytes[12] == 1
    }

    /// Bits per pixel, all channels together.
    var bitsPerPixel: Int { bitDepth * colourType.channels }

    /// The byte distance filters use to find "the pixel to the left" (1 for sub-byte pixels).
    var filterStride: Int { max(1, bitsPerPixel / 8) }

    /// Bytes of one row of `width` pixels, not counting its filter-type byte.
    func rowBytes(width: Int) -> Int { (width * bitsPerPixel + 7) / 8 }

    /// Filtered bytes of a `width` x `height` (sub-)image: each row has a filter-type byte.
    /// An empty Adam7 pass has no rows at all, not even filter bytes.
    func filteredSize(width: Int, height: Int) -> Int {
        width == 0 || height == 0 ? 0 : height * (1 + rowBytes(width: width))
    }
}

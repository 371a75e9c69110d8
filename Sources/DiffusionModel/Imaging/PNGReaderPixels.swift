/// Turns unfiltered PNG rows into 8-bit RGB.
///
/// 16-bit samples keep their high byte; 1-, 2- and 4-bit grey levels are scaled to 0…255
/// (`v · 255 / (2^depth − 1)`); alpha channels are dropped, leaving the stored colour as it is
/// (what converting to RGB does in common imaging libraries, rather than compositing).
enum PNGReaderPixels {
    /// `width * height * 3` RGB bytes from `raw`, rows of `header.rowBytes(width:)` bytes.
    ///
    /// - Parameter palette: PLTE's bytes (`R, G, B` per entry), for palette images.
    static func rgb(raw: [UInt8], width: Int, height: Int, header: PNGImageHeader, palette: [UInt8]) throws(PNGReadError) -> [UInt8] {
        let rowBytes = header.rowBytes(width: width)
        let channels = header.colourType.channels, depth = header.bitDepth
        let greyScale = depth < 8 ? 255 / ((1 << depth) - 1) : 1
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            let line = y * rowBytes
            for x in 0..<width {
                let target = (y * width + x) * 3
                let first = x * channels
                switch header.colourType {
                case .greyscale, .greyscaleAlpha:
                    let grey = UInt8(sample(raw, line: line, index: first, depth: depth) * greyScale)
                    (rgb[target], rgb[target + 1], rgb[target + 2]) = (grey, grey, grey)
                case .rgb, .rgba:
                    for channel in 0..<3 {
                        rgb[target + channel] = UInt8(sample(raw, line: line, index: first + channel, depth: depth))
                    }
                case .palette:
                    let index = sample(raw, line: line, index: first, depth: depth)
                    guard index * 3 + 2 < palette.count else {
                        throw .paletteIndexOutOfRange(index: index, paletteSize: palette.count / 3)
                    }
                    (rgb[target], rgb[target + 1], rgb[target + 2]) = (palette[index * 3], palette[index * 3 + 1], palette[index * 3 + 2])
                }
            }
        }
        return rgb
    }

    /// Sample number `index` of the row starting at `line`, at most 8 bits: the byte itself at
    /// depth 8, the high (first, big-endian) byte at depth 16, and below 8 bits the packed
    /// value, leftmost sample in the most significant bits.
    private static func sample(_ raw: [UInt8], line: Int, index: Int, depth: Int) -> Int {
        switch depth {
        case 8: return Int(raw[line + index])
        case 16: return Int(raw[line + 2 * index])
        default:
            let bit = index * depth
            let byte = Int(raw[line + bit / 8])
            return (byte >> (8 - depth - bit % 8)) & ((1 << depth) - 1)
        }
    }
}

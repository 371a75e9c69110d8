import Foundation

/// Decodes PNG files into 8-bit RGB images.
///
/// Every colour type and bit depth of the specification is read: greyscale (1, 2, 4, 8, 16 bits),
/// RGB (8, 16), palette (1, 2, 4, 8), greyscale + alpha (8, 16) and RGBA (8, 16), plain or
/// Adam7-interlaced, with all five row filters. 16-bit samples keep their high byte. Alpha is
/// ignored: the stored colour is kept as it is, not composited over a background, as converting
/// to RGB does in common imaging libraries. Transparency (tRNS), gamma and colour-profile chunks
/// are ignored too. Every chunk's CRC-32 and the image data's Adler-32 are checked, and
/// malformed files throw `PNGReadError`.
public enum PNGReader {
    /// The default cap on width × height: 4096 × 4096. A tiny PNG can declare a huge image,
    /// and the decoder allocates for the declared size.
    public static let defaultMaximumPixelCount = 1 << 24

    /// Reads and decodes the PNG file at `url`.
    public static func read(contentsOf url: URL, maximumPixelCount: Int = defaultMaximumPixelCount) throws(PNGReadError) -> RGBImage {
        let bytes: [UInt8]
        do {
            bytes = try [UInt8](Data(contentsOf: url))
        } catch {
            throw .cannotRead(path: url.path, reason: error.localizedDescription)
        }
        return try decode(bytes: bytes, maximumPixelCount: maximumPixelCount)
    }

    /// Decodes the bytes of a PNG file.
    ///
    /// - Parameter maximumPixelCount: images with more pixels throw `.imageTooLarge` before
    ///   anything is decompressed; at most 2⁴⁰.
    public static func decode(bytes: [UInt8], maximumPixelCount: Int = defaultMaximumPixelCount) throws(PNGReadError) -> RGBImage {
        precondition((1...(1 << 40)).contains(maximumPixelCount), "the pixel limit must be in 1...2^40")
        let contents = try PNGReaderContents(chunks: PNGChunk.chunks(in: bytes))
        let header = contents.header
        // Each side is below 2^31, so the product cannot overflow; once it is within the limit,
        // so are all the byte counts below (at most 8 bytes per pixel plus one per row).
        guard header.width * header.height <= maximumPixelCount else {
            throw .imageTooLarge(width: header.width, height: header.height, limit: maximumPixelCount)
        }

        let passes = PNGReaderPass.passes(for: header)
        let expected = passes.reduce(0) { $0 + header.filteredSize(width: $1.width, height: $1.height) }
        let filtered: [UInt8]
        do {
            filtered = try Inflate.decompressZlib(contents.compressedImageData, maximumOutputSize: expected)
        } catch .outputTooLarge {
            throw .imageDataTooLong(expected: expected)
        } catch {
            throw .invalidImageData(error)
        }
        guard filtered.count == expected else { throw .imageDataTooShort(expected: expected, actual: filtered.count) }

        // A plain image is its single pass; interlaced passes are scattered into the full image.
        var pixels = header.isInterlaced ? [UInt8](repeating: 0, count: header.width * header.height * 3) : []
        var start = 0
        for pass in passes where pass.width > 0 && pass.height > 0 {
            let rowBytes = header.rowBytes(width: pass.width)
            let raw = try PNGReaderFilters.unfilter(
                filtered, start: start, rows: pass.height, rowBytes: rowBytes, stride: header.filterStride
            )
            let passPixels = try PNGReaderPixels.rgb(
                raw: raw, width: pass.width, height: pass.height, header: header, palette: contents.palette
            )
            if header.isInterlaced {
                pass.scatter(passPixels, into: &pixels, imageWidth: header.width)
            } else {
                pixels = passPixels
            }
            start += header.filteredSize(width: pass.width, height: pass.height)
        }
        return RGBImage(width: header.width, height: header.height, pixels: pixels)
    }
}

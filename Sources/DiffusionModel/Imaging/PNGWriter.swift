import Foundation

/// Encodes 8-bit RGB PNG files (truecolour, no interlacing, filter "none" on every row).
///
/// The image data is wrapped in zlib's stored (uncompressed) deflate blocks: the files are
/// small previews, and this keeps the encoder free of a compression library.
public enum PNGWriter {
    /// The eight bytes every PNG file starts with.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The PNG file for `rgb` (`width * height * 3` bytes, rows top to bottom).
    public static func encode(rgb: [UInt8], width: Int, height: Int) -> [UInt8] {
        precondition(width > 0 && height > 0 && width <= Int(Int32.max) && height <= Int(Int32.max),
                     "PNG dimensions must be positive, got \(width)x\(height)")
        precondition(rgb.count == width * height * 3, "\(rgb.count) bytes do not make a \(width)x\(height) RGB image")
        var header = bigEndian(UInt32(width)) + bigEndian(UInt32(height))
        header += [8, 2, 0, 0, 0]  // bit depth 8, colour type 2 (RGB), deflate, adaptive filtering, no interlace

        let rowBytes = width * 3
        var scanlines: [UInt8] = []
        scanlines.reserveCapacity(height * (rowBytes + 1))
        for row in 0..<height {
            scanlines.append(0)  // filter type 0: the row's bytes as they are
            scanlines.append(contentsOf: rgb[(row * rowBytes)..<((row + 1) * rowBytes)])
        }

        var file = signature
        appendChunk("IHDR", header, to: &file)
        appendChunk("IDAT", StoredZlib.stream(scanlines), to: &file)
        appendChunk("IEND", [], to: &file)
        return file
    }

    /// The PNG file for an image.
    public static func encode(_ image: RGBImage) -> [UInt8] {
        encode(rgb: image.pixels, width: image.width, height: image.height)
    }

    /// Writes `rgb` as a PNG file, atomically (temporary file, then rename).
    public static func write(rgb: [UInt8], width: Int, height: Int, to url: URL) throws(ImagingError) {
        do {
            try Data(encode(rgb: rgb, width: width, height: height)).write(to: url, options: .atomic)
        } catch {
            throw .cannotWrite(path: url.path, reason: error.localizedDescription)
        }
    }

    /// Writes an image as a PNG file, atomically.
    public static func write(_ image: RGBImage, to url: URL) throws(ImagingError) {
        try write(rgb: image.pixels, width: image.width, height: image.height, to: url)
    }

    /// Length, type, data, and the CRC of type and data.
    private static func appendChunk(_ type: String, _ data: [UInt8], to file: inout [UInt8]) {
        let typeBytes = Array(type.utf8)
        file += bigEndian(UInt32(data.count))
        file += typeBytes
        file += data
        file += bigEndian(Checksums.crc32(data, continuing: Checksums.crc32(typeBytes)))
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}

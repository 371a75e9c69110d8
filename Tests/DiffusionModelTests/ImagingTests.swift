import DiffusionModel
import Foundation
import Numerics
import Testing

/// PNG files are laid out as the specification says, and grids map values and pixels correctly.
@Suite struct ImagingTests {
    private struct Chunk {
        var type: String
        var data: [UInt8]
        var storedCRC: UInt32
    }

    private static func bigEndian(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// Splits a PNG file after its signature into chunks.
    private static func chunks(_ file: [UInt8]) throws -> [Chunk] {
        var chunks: [Chunk] = []
        var position = 8
        while position < file.count {
            try #require(position + 12 <= file.count)
            let length = Int(bigEndian(file[position..<position + 4]))
            try #require(position + 12 + length <= file.count)
            let type = String(decoding: file[position + 4..<position + 8], as: UTF8.self)
            let data = Array(file[position + 8..<position + 8 + length])
            chunks.append(Chunk(type: type, data: data, storedCRC: bigEndian(file[position + 8 + length..<position + 12 + length])))
            position += 12 + length
        }
        return chunks
    }

    /// Decodes a zlib stream made only of stored blocks, checking the header and Adler-32.
    private static func inflateStored(_ stream: [UInt8]) throws -> [UInt8] {
        try #require(stream.count >= 6)
        #expect(stream[0] == 0x78 && (UInt16(stream[0]) << 8 | UInt16(stream[1])) % 31 == 0)
        var output: [UInt8] = []
        var position = 2
        while true {
            let header = stream[position]
            #expect(header & 0b110 == 0, "only stored blocks are expected")
            let length = Int(stream[position + 1]) | Int(stream[position + 2]) << 8
            let complement = Int(stream[position + 3]) | Int(stream[position + 4]) << 8
            #expect(length ^ complement == 0xFFFF)
            output += stream[position + 5..<position + 5 + length]
            position += 5 + length
            if header & 1 == 1 { break }
        }
        #expect(position + 4 == stream.count)
        #expect(bigEndian(stream[position..<position + 4]) == Checksums.adler32(output))
        return output
    }

    @Test func checksumsMatchPublishedCheckValues() {
        #expect(Checksums.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(Checksums.crc32([UInt8]()) == 0)
        #expect(Checksums.crc32(Array("6789".utf8), continuing: Checksums.crc32(Array("12345".utf8))) == 0xCBF4_3926)
        #expect(Checksums.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
        #expect(Checksums.adler32([UInt8]()) == 1)
        // Long runs of 0xFF exercise the deferred modulo reduction.
        #expect(Checksums.adler32([UInt8](repeating: 0xFF, count: 100_000)) == Self.slowAdler32([UInt8](repeating: 0xFF, count: 100_000)))
    }

    private static func slowAdler32(_ bytes: [UInt8]) -> UInt32 {
        var (a, b): (UInt32, UInt32) = (1, 0)
        for byte in bytes {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        return b << 16 | a
    }

    @Test(arguments: [(3, 2), (200, 150)])
    func pngHasSignatureChunksAndPixels(width: Int, height: Int) throws {
        let rgb = (0..<width * height * 3).map { UInt8(truncatingIfNeeded: $0 * 7 + $0 / 5) }
        let file = PNGWriter.encode(rgb: rgb, width: width, height: height)
        #expect(Array(file[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let chunks = try Self.chunks(file)
        #expect(chunks.map(\.type) == ["IHDR", "IDAT", "IEND"])
        for chunk in chunks {
            #expect(chunk.storedCRC == Checksums.crc32(Array(chunk.type.utf8) + chunk.data), "CRC of \(chunk.type)")
        }
        let header = chunks[0].data
        #expect(header.count == 13)
        #expect(Self.bigEndian(header[0..<4]) == UInt32(width) && Self.bigEndian(header[4..<8]) == UInt32(height))
        #expect(Array(header[8...]) == [8, 2, 0, 0, 0])
        #expect(chunks[2].data.isEmpty)

        let scanlines = try Self.inflateStored(chunks[1].data)
        #expect(scanlines.count == height * (width * 3 + 1))
        var decoded: [UInt8] = []
        for row in 0..<height {
            let start = row * (width * 3 + 1)
            #expect(scanlines[start] == 0, "filter type of row \(row)")
            decoded += scanlines[start + 1...start + width * 3]
        }
        #expect(decoded == rgb)
    }

    @Test func knownTinyFileIsByteExact() {
        // A single red pixel; the CRCs are the values every conforming encoder produces.
        let file = PNGWriter.encode(RGBImage(width: 1, height: 1, pixels: [255, 0, 0]))
        #expect(Array(file[8..<33]) == [0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xDE])
        #expect(Array(file.suffix(12)) == [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82])
    }

    @Test func writesAtomicallyAndReportsFailures() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("grid-\(UUID().uuidString).png")
        defer { try? FileManager.default.removeItem(at: url) }
        let image = RGBImage(width: 2, height: 1, pixels: [1, 2, 3, 4, 5, 6])
        try PNGWriter.write(image, to: url)
        #expect(try Data(contentsOf: url) == Data(PNGWriter.encode(image)))
        #expect {
            try PNGWriter.write(image, to: URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/x.png"))
        } throws: { error in
            guard case .cannotWrite = error as? ImagingError else { return false }
            return true
        }
    }

    @Test(arguments: [(Float(-1), UInt8(0)), (1, 255), (0, 128), (-0.5, 64), (2, 255), (-3, 0), (.nan, 0), (.infinity, 255)])
    func valuesMapToBytesWithClamping(value: Float, expected: UInt8) {
        #expect(ImageGrid.byte(value) == expected)
    }

    @Test func gridPlacesScaledTilesWithPadding() {
        // Two RGB 1x2 images: image 0 is red/green, image 1 blue/white.
        let images = Tensor(shape: [2, 3, 1, 2], scalars: [1, -1, -1, 1, -1, -1] + [-1, 1, -1, 1, 1, 1])
        let grid = ImageGrid.compose(images: images, columns: 2, padding: 1, scale: 2, background: 7)
        #expect(grid.width == 2 * (4 + 1) + 1 && grid.height == 2 + 2 * 1)
        #expect(grid[0, 0] == (7, 7, 7) && grid[5, 1] == (7, 7, 7) && grid[10, 3] == (7, 7, 7))
        for (x, y) in [(1, 1), (2, 1), (1, 2), (2, 2)] { #expect(grid[x, y] == (255, 0, 0)) }
        for (x, y) in [(3, 1), (4, 2)] { #expect(grid[x, y] == (0, 255, 0)) }
        for (x, y) in [(6, 1), (7, 2)] { #expect(grid[x, y] == (0, 0, 255)) }
        for (x, y) in [(8, 1), (9, 2)] { #expect(grid[x, y] == (255, 255, 255)) }
    }

    @Test func greyImagesAreReplicatedAndRowsWrap() {
        let images = Tensor(shape: [3, 1, 1, 1], scalars: [-1, 0, 1])
        let grid = ImageGrid.compose(images: images, columns: 2, padding: 0, scale: 1)
        #expect(grid.width == 2 && grid.height == 2)
        #expect(grid[0, 0] == (0, 0, 0) && grid[1, 0] == (128, 128, 128) && grid[0, 1] == (255, 255, 255))
        #expect(grid[1, 1] == (128, 128, 128))  // the unused tile keeps the background
    }
}

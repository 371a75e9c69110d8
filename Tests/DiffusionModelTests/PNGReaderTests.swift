import DiffusionModel
import Foundation
import Numerics
import Testing

/// PNG files from real encoders decode to the expected RGB bytes, the project's own files round
/// trip, and every kind of malformed file throws the matching `PNGReadError`.
@Suite struct PNGReaderTests {
    // MARK: Fixtures

    private struct Expected: Decodable {
        struct Image: Decodable {
            var width: Int
            var height: Int
            var rgb: [UInt8]
        }
        var images: [String: Image]
    }

    private static let fixtureNames = [
        "rgb8-filters", "rgb8-pillow", "rgb16", "rgba16", "rgb8-adam7", "rgb8-adam7-tiny", "grey8", "grey16",
        "grey-alpha8", "rgba8", "grey1", "palette8", "palette4", "palette2", "rgb8-paeth", "grey2-adam7",
    ]

    private static func folder() throws -> URL {
        try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil)).appendingPathComponent("png")
    }

    private static func expected() throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: Data(contentsOf: folder().appendingPathComponent("expected.json")))
    }

    @Test(arguments: fixtureNames)
    func fixtureDecodesToExpectedPixels(name: String) throws {
        let expected = try #require(try Self.expected().images[name])
        let image = try PNGReader.read(contentsOf: Self.folder().appendingPathComponent("\(name).png"))
        #expect(image.width == expected.width && image.height == expected.height)
        #expect(image.pixels == expected.rgb)
    }

    @Test func everyFixtureIsTested() throws {
        #expect(Set(try Self.expected().images.keys) == Set(Self.fixtureNames))
    }

    @Test(arguments: [(1, 1), (5, 3), (40, 17)])
    func projectPNGsRoundTrip(width: Int, height: Int) throws {
        let pixels = InflatePayloads.lcgBytes(seed: UInt64(width * 1000 + height), count: width * height * 3)
        let image = RGBImage(width: width, height: height, pixels: pixels)
        #expect(try PNGReader.decode(bytes: PNGWriter.encode(image)) == image)
    }

    // MARK: Tensors

    @Test func tensorIsNCHWInMinusOneToOne() {
        let image = RGBImage(width: 2, height: 1, pixels: [0, 255, 51, 102, 153, 204])
        let tensor = image.tensorNCHW()
        #expect(tensor.shape == [1, 3, 1, 2])
        let expected: [Float] = [0, 102, 255, 153, 51, 204].map { Float($0) / 127.5 - 1 }
        #expect(tensor.scalars == expected)
        #expect(tensor.scalars[0] == -1 && tensor.scalars[2] == 1)
    }

    @Test func readTensorMatchesDecodedImage() throws {
        let url = try Self.folder().appendingPathComponent("rgb8-adam7.png")
        let tensor = try PNGReader.readTensor(contentsOf: url)
        #expect(tensor.shape == [1, 3, 11, 13])
        #expect(tensor == (try PNGReader.read(contentsOf: url)).tensorNCHW())
    }

    // MARK: Malformed files

    @Test func missingFileCannotBeRead() {
        #expect {
            try PNGReader.read(contentsOf: URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString).png"))
        } throws: { error in
            guard case .cannotRead = error as? PNGReadError else { return false }
            return true
        }
    }

    @Test func badSignatureIsNotPNG() {
        var file = PNGWriter.encode(RGBImage(width: 2, height: 2, grey: 9))
        file[1] = UInt8(ascii: "X")
        #expect(throws: PNGReadError.notPNG) { try PNGReader.decode(bytes: file) }
        #expect(throws: PNGReadError.notPNG) { try PNGReader.decode(bytes: Array(PNGWriter.signature.prefix(5))) }
    }

    @Test func everyTruncationThrows() throws {
        let file = try [UInt8](Data(contentsOf: Self.folder().appendingPathComponent("rgb8-filters.png")))
        for cut in 8..<file.count {
            #expect(throws: PNGReadError.self, "cut at \(cut)") { try PNGReader.decode(bytes: Array(file[..<cut])) }
        }
        // A cut inside the first chunk, and a cut just before IEND.
        #expect(throws: PNGReadError.truncatedChunk(offset: 8)) { try PNGReader.decode(bytes: Array(file[..<20])) }
        #expect(throws: PNGReadError.missingChunk(type: "IEND")) { try PNGReader.decode(bytes: Array(file[..<(file.count - 12)])) }
    }

    @Test func corruptChunkFailsItsCRC() throws {
        var file = PNGWriter.encode(RGBImage(width: 3, height: 2, grey: 40))
        file[8 + 8 + 3] ^= 0x01  // the low byte of IHDR's width
        #expect {
            try PNGReader.decode(bytes: file)
        } throws: { error in
            guard case .chunkChecksumMismatch(let type, _, _) = error as? PNGReadError else { return false }
            return type == "IHDR"
        }
    }

    @Test func chunksMustBeInTheRequiredOrder() {
        let rgbRows = PNGTestFile.rows([[1, 2, 3, 4, 5, 6]])
        let header = PNGTestFile.header(width: 2, height: 1, bitDepth: 8, colourType: 2)
        #expect(throws: PNGReadError.missingHeader) {
            try PNGReader.decode(bytes: PNGTestFile.file(["IDAT": rgbRows, "IHDR": header]))
        }
        #expect(throws: PNGReadError.missingChunk(type: "IDAT")) { try PNGReader.decode(bytes: PNGTestFile.file(["IHDR": header])) }
        #expect(throws: PNGReadError.misplacedChunk(type: "IDAT", reason: "IDAT chunks must be consecutive")) {
            let split = PNGTestFile.zlibStored(rgbRows)
            let file = PNGTestFile.file(raw: [("IHDR", header), ("IDAT", Array(split[..<4])), ("tEXt", Array("a\0b".utf8)), ("IDAT", Array(split[4...])), ("IEND", [])])
            return try PNGReader.decode(bytes: file)
        }
        #expect(throws: PNGReadError.unknownCriticalChunk(type: "ABCD")) {
            try PNGReader.decode(bytes: PNGTestFile.file(["IHDR": header, "ABCD": [1], "IDAT": rgbRows]))
        }
        #expect(throws: PNGReadError.misplacedChunk(type: "IHDR", reason: "only one IHDR is allowed")) {
            try PNGReader.decode(bytes: PNGTestFile.file(["IHDR": header, "IDAT": rgbRows, "IHDR": header]))
        }
        let grey = PNGTestFile.header(width: 1, height: 1, bitDepth: 8, colourType: 0)
        #expect(throws: PNGReadError.misplacedChunk(type: "PLTE", reason: "greyscale images must not have a palette")) {
            try PNGReader.decode(bytes: PNGTestFile.file(["IHDR": grey, "PLTE": [0, 0, 0], "IDAT": PNGTestFile.rows([[7]])]))
        }
    }

    @Test func paletteImagesNeedAValidPalette() {
        let header = PNGTestFile.header(width: 3, height: 1, bitDepth: 8, colourType: 3)
        let rows = PNGTestFile.rows([[0, 1, 2]])
        #expect(throws: PNGReadError.missingChunk(type: "PLTE")) { try PNGReader.decode(bytes: PNGTestFile.file(["IHDR": header, "IDAT": rows])) }
        #expect(throws: PNGReadError.invalidPalette(reason: "4 bytes is not a positive multiple of 3")) {
            try PNGReader.decode(bytes: PNGTestFile.file(["IHDR": header, "PLTE": [1, 2, 3, 4], "IDAT": rows]))
        }
        #expect(throws: PNGReadError.paletteIndexOutOfRange(index: 2, paletteSize: 2)) {
            try PNGReader.decode(bytes: PNGTestFile.file(["IHDR": header, "PLTE": [1, 2, 3, 4, 5, 6], "IDAT": rows]))
        }
        #expect(throws: PNGReadError.misplacedChunk(type: "PLTE", reason: "PLTE must come before IDAT")) {
            try PNGReader.decode(bytes: PNGTestFile.file(["IHDR": header, "IDAT": rows, "PLTE": [1, 2, 3]]))
        }
        let image = try? PNGReader.decode(bytes: PNGTestFile.file(["IHDR": header, "PLTE": Array(1...9), "IDAT": rows]))
        #expect(image?.pixels == Array(1...9))
    }

    @Test(arguments: [
        (PNGTestFile.header(width: 0, height: 1, bitDepth: 8, colourType: 2), "size 0x1"),
        (PNGTestFile.header(width: 1, height: 1, bitDepth: 3, colourType: 0), "bit depth 3"),
        (PNGTestFile.header(width: 1, height: 1, bitDepth: 4, colourType: 2), "bit depth 4"),
        (PNGTestFile.header(width: 1, height: 1, bitDepth: 8, colourType: 1), "colour type 1"),
        (PNGTestFile.header(width: 1, height: 1, bitDepth: 8, colourType: 2, interlace: 2), "interlace method 2"),
        (Array(PNGTestFile.header(width: 1, height: 1, bitDepth: 8, colourType: 2).prefix(12)), "IHDR holds 12 bytes"),
    ])
    func invalidHeadersThrow(header: [UInt8], reasonPrefix: String) {
        #expect {
            try PNGReader.decode(bytes: PNGTestFile.file(["IHDR": header, "IDAT": PNGTestFile.rows([[0, 0, 0]])]))
        } throws: { error in
            guard case .invalidHeader(let reason) = error as? PNGReadError else { return false }
            return reason.hasPrefix(reasonPrefix)
        }
    }

    @Test func dimensionsBeyondTheLimitThrowBeforeDecompressing() throws {
        let huge = PNGTestFile.header(width: 100_000, height: 100_000, bitDepth: 8, colourType: 2)
        #expect(throws: PNGReadError.imageTooLarge(width: 100_000, height: 100_000, limit: PNGReader.defaultMaximumPixelCount)) {
            try PNGReader.decode(bytes: PNGTestFile.file(["IHDR": huge, "IDAT": [0x78, 0x9C]]))
        }
        let file = try [UInt8](Data(contentsOf: Self.folder().appendingPathComponent("rgb8-adam7.png")))
        #expect(throws: PNGReadError.imageTooLarge(width: 13, height: 11, limit: 142)) {
            try PNGReader.decode(bytes: file, maximumPixelCount: 142)
        }
        #expect(try PNGReader.decode(bytes: file, maximumPixelCount: 143).width == 13)
    }

    @Test func imageDataMustMatchTheHeaderSize() {
        let header = PNGTestFile.header(width: 2, height: 2, bitDepth: 8, colourType: 0)
        #expect(throws: PNGReadError.imageDataTooShort(expected: 6, actual: 3)) {
            try PNGReader.decode(bytes: PNGTestFile.file(["IHDR": header, "IDAT": PNGTestFile.rows([[1, 2]])]))
        }
        #expect(throws: PNGReadError.imageDataTooLong(expected: 6)) {
            try PNGReader.decode(bytes: PNGTestFile.file(["IHDR": header, "IDAT": PNGTestFile.rows([[1, 2], [3, 4], [5, 6]])]))
        }
        #expect(throws: PNGReadError.invalidImageData(.reservedBlockType)) {
            try PNGReader.decode(bytes: PNGTestFile.file(["IHDR": header, "IDAT": [0x78, 0x9C, 0x07]]))
        }
    }

    @Test func unknownFilterTypeThrows() {
        let header = PNGTestFile.header(width: 2, height: 2, bitDepth: 8, colourType: 0)
        let rows = PNGTestFile.zlibStored([0, 1, 2, 5, 3, 4])
        #expect(throws: PNGReadError.invalidFilterType(type: 5, row: 1)) {
            try PNGReader.decode(bytes: PNGTestFile.file(raw: [("IHDR", header), ("IDAT", rows), ("IEND", [])]))
        }
    }

    @Test func errorsDescribeTheirCause() {
        #expect(PNGReadError.invalidImageData(.truncated).description == "invalid PNG image data: compressed data is truncated")
        #expect(PNGReadError.imageTooLarge(width: 5, height: 6, limit: 4).description.contains("5x6"))
    }
}

/// Builds PNG files chunk by chunk, for files no encoder would write.
enum PNGTestFile {
    /// IHDR's 13 bytes.
    static func header(width: Int, height: Int, bitDepth: UInt8, colourType: UInt8, interlace: UInt8 = 0) -> [UInt8] {
        bigEndian(width) + bigEndian(height) + [bitDepth, colourType, 0, 0, interlace]
    }

    /// IDAT data for unfiltered rows (filter type 0 on each).
    static func rows(_ rows: [[UInt8]]) -> [UInt8] {
        zlibStored(Array(rows.map { [0] + $0 }.joined()))
    }

    /// A zlib stream holding `payload` in one stored block.
    static func zlibStored(_ payload: [UInt8]) -> [UInt8] {
        let length = payload.count
        return [0x78, 0x01, 0x01, UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
            + payload + bigEndian(Int(Checksums.adler32(payload)))
    }

    /// Signature, the chunks in order (a type may repeat), and IEND.
    static func file(_ chunks: KeyValuePairs<String, [UInt8]>) -> [UInt8] {
        file(raw: chunks.map { ($0.key, $0.value) } + [("IEND", [])])
    }

    /// Signature and exactly these chunks.
    static func file(raw chunks: [(String, [UInt8])]) -> [UInt8] {
        chunks.reduce(PNGWriter.signature) { file, chunk in
            let type = Array(chunk.0.utf8)
            return file + bigEndian(chunk.1.count) + type + chunk.1 + bigEndian(Int(Checksums.crc32(type + chunk.1)))
        }
    }

    private static func bigEndian(_ value: Int) -> [UInt8] {
        [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}

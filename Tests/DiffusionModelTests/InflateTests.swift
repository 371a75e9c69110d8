import DiffusionModel
import Foundation
import Testing

/// zlib streams written by Python's zlib decode to their payloads, and malformed streams throw
/// the matching `InflateError`.
@Suite struct InflateTests {
    // MARK: Fixtures

    private struct Manifest: Decodable {
        struct Stream: Decodable {
            var file: String
            var payload: String
            var format: String
        }
        var streams: [Stream]
    }

    private static func folder() throws -> URL {
        try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil)).appendingPathComponent("png")
    }

    private static func manifest() throws -> Manifest {
        try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: folder().appendingPathComponent("inflate.json")))
    }

    private static func stream(_ file: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: folder().appendingPathComponent("inflate").appendingPathComponent(file)))
    }

    @Test func everyFixtureStreamDecodesToItsPayload() throws {
        let streams = try Self.manifest().streams
        #expect(streams.count == 22)
        for entry in streams {
            let expected = try #require(InflatePayloads.named(entry.payload), "unknown payload \(entry.payload)")
            let data = try Self.stream(entry.file)
            let decoded = entry.format == "zlib"
                ? try Inflate.decompressZlib(data, maximumOutputSize: 1 << 20)
                : try Inflate.decompressDeflate(data, maximumOutputSize: 1 << 20)
            #expect(decoded == expected, "\(entry.file)")
        }
    }

    @Test func coversEveryLevelAndStrategy() throws {
        let files = Set(try Self.manifest().streams.map(\.file))
        for level in [0, 1, 6, 9] {
            #expect(files.contains("skewed-level\(level).zlib") && files.contains("repeats-level\(level).zlib"))
        }
        for variant in ["repeats-fixed", "repeats-rle", "skewed-huffman-only", "repeats-full-flush", "far-level9", "random-level9"] {
            #expect(files.contains("\(variant).zlib"))
        }
    }

    @Test func outputLimitIsExactAndEnforced() throws {
        let data = try Self.stream("repeats-level9.zlib")
        let payload = InflatePayloads.repeats
        #expect(try Inflate.decompressZlib(data, maximumOutputSize: payload.count) == payload)
        #expect(throws: InflateError.outputTooLarge(limit: payload.count - 1)) {
            try Inflate.decompressZlib(data, maximumOutputSize: payload.count - 1)
        }
        #expect(throws: InflateError.outputTooLarge(limit: 100)) {
            try Inflate.decompressZlib(try Self.stream("repeats-level0.zlib"), maximumOutputSize: 100)
        }
    }

    // MARK: Malformed input

    @Test(arguments: ["repeats-fixed.zlib", "skewed-level9.zlib", "repeats-level0.zlib", "empty-level6.zlib"])
    func everyTruncationThrowsTruncated(file: String) throws {
        let data = try Self.stream(file)
        // Every cut in the last 40 bytes (the Adler-32, the final codes), every 13th before.
        let cuts = Array(stride(from: 0, to: max(data.count - 40, 0), by: 13)) + Array(max(data.count - 40, 0)..<data.count)
        for cut in cuts {
            #expect(throws: InflateError.truncated, "cut at \(cut) of \(data.count)") {
                try Inflate.decompressZlib(Array(data[..<cut]), maximumOutputSize: 1 << 20)
            }
        }
    }

    @Test func corruptAdlerThrows() throws {
        var data = try Self.stream("repeats-level6.zlib")
        data[data.count - 1] ^= 0x01
        let stored = data.suffix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        #expect(throws: InflateError.checksumMismatch(stored: stored, computed: Checksums.adler32(InflatePayloads.repeats))) {
            try Inflate.decompressZlib(data, maximumOutputSize: 1 << 20)
        }
    }

    @Test func invalidHeadersThrow() {
        #expect(throws: InflateError.truncated) { try Inflate.decompressZlib([0x78], maximumOutputSize: 10) }
        for (header, reasonPrefix) in [([UInt8(0x78), 0x9D], "header check"), ([0x79, 0x9C], "compression method 9"), ([0x88, 0x98], "window size")] {
            #expect {
                try Inflate.decompressZlib(header + [0x03, 0x00, 0, 0, 0, 1], maximumOutputSize: 10)
            } throws: { error in
                guard case .invalidZlibHeader(let reason) = error as? InflateError else { return false }
                return reason.hasPrefix(reasonPrefix)
            }
        }
        // 0x78 0xBB: dictionary flag set, header a multiple of 31.
        #expect(throws: InflateError.presetDictionaryUnsupported) {
            try Inflate.decompressZlib([0x78, 0xBB, 0, 0, 0, 0, 0x03, 0x00], maximumOutputSize: 10)
        }
    }

    @Test func reservedBlockTypeThrows() {
        #expect(throws: InflateError.reservedBlockType) { try Inflate.decompressZlib([0x78, 0x9C, 0x07], maximumOutputSize: 10) }
    }

    @Test func storedLengthMismatchThrows() {
        #expect(throws: InflateError.storedLengthMismatch(length: 5, complement: 0)) {
            try Inflate.decompressDeflate([0x01, 0x05, 0x00, 0x00, 0x00, 1, 2, 3, 4, 5], maximumOutputSize: 10)
        }
    }

    @Test func distanceBeforeTheStartThrows() {
        var writer = DeflateBitWriter()
        writer.fixedBlockHeader(final: true)
        writer.fixedLiteralLength(Int(UInt8(ascii: "a")))
        writer.fixedLiteralLength(257)  // length 3
        writer.fixedDistance(1)          // distance 2, but only one byte exists
        writer.fixedLiteralLength(256)
        #expect(throws: InflateError.distanceTooFar(distance: 2, available: 1)) {
            try Inflate.decompressDeflate(writer.bytes, maximumOutputSize: 10)
        }
    }

    @Test func overlappingCopyRepeatsTheLastBytes() throws {
        var writer = DeflateBitWriter()
        writer.fixedBlockHeader(final: true)
        for byte in "xy".utf8 { writer.fixedLiteralLength(Int(byte)) }
        writer.fixedLiteralLength(259)  // length 5
        writer.fixedDistance(1)          // distance 2
        writer.fixedLiteralLength(256)
        #expect(try Inflate.decompressDeflate(writer.bytes, maximumOutputSize: 10) == Array("xyxyxyx".utf8))
    }

    @Test(arguments: [(true, 286), (false, 30)])
    func symbolsDeflateNeverUsesThrow(inLiteralCode: Bool, symbol: Int) {
        var writer = DeflateBitWriter()
        writer.fixedBlockHeader(final: true)
        writer.fixedLiteralLength(0)
        if inLiteralCode {
            writer.fixedLiteralLength(symbol)
        } else {
            writer.fixedLiteralLength(257)
            writer.fixedDistance(symbol)
        }
        #expect(throws: InflateError.invalidSymbol(symbol)) { try Inflate.decompressDeflate(writer.bytes, maximumOutputSize: 10) }
    }

    @Test func oversubscribedCodeLengthCodeThrows() {
        var writer = DeflateBitWriter()
        writer.dynamicBlockHeader(literalLengthCodes: 257, distanceCodes: 1, codeLengthLengths: [Int](repeating: 1, count: 19))
        #expect(throws: InflateError.invalidCodeLengths(reason: "over-subscribed code")) {
            try Inflate.decompressDeflate(writer.bytes, maximumOutputSize: 10)
        }
    }

    @Test func repeatWithoutPreviousLengthThrows() {
        var writer = DeflateBitWriter()
        // Code-length code: symbols 0 and 16 with one bit each (0 -> "0", 16 -> "1").
        var lengths = [Int](repeating: 0, count: 19)
        (lengths[0], lengths[16]) = (1, 1)
        writer.dynamicBlockHeader(literalLengthCodes: 257, distanceCodes: 1, codeLengthLengths: lengths)
        writer.huffmanCode(1, length: 1)
        writer.bits(0, count: 2)
        #expect(throws: InflateError.invalidCodeLengths(reason: "repeat of the previous length with no previous length")) {
            try Inflate.decompressDeflate(writer.bytes, maximumOutputSize: 10)
        }
    }

    @Test func missingEndOfBlockCodeThrows() {
        var writer = DeflateBitWriter()
        // Code-length code: symbols 1 ("0") and 18 ("1"). 257 zeros, then one distance code.
        var lengths = [Int](repeating: 0, count: 19)
        (lengths[1], lengths[18]) = (1, 1)
        writer.dynamicBlockHeader(literalLengthCodes: 257, distanceCodes: 1, codeLengthLengths: lengths)
        writer.huffmanCode(1, length: 1)
        writer.bits(138 - 11, count: 7)
        writer.huffmanCode(1, length: 1)
        writer.bits(119 - 11, count: 7)
        writer.huffmanCode(0, length: 1)
        #expect(throws: InflateError.invalidCodeLengths(reason: "the end-of-block symbol has no code")) {
            try Inflate.decompressDeflate(writer.bytes, maximumOutputSize: 10)
        }
    }

    @Test func randomCorruptionThrowsOrDecodesTheSamePayload() throws {
        let original = try Self.stream("skewed-level9.zlib")
        var state: UInt64 = 99
        var thrown = 0
        for _ in 0..<150 {
            var data = original
            for _ in 0..<3 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let bit = Int(state >> 33) % (data.count * 8)
                data[bit / 8] ^= UInt8(1 << (bit % 8))
            }
            do {
                // Flips in the padding after the last block change nothing; anything else throws.
                #expect(try Inflate.decompressZlib(data, maximumOutputSize: 1 << 16) == InflatePayloads.skewed)
            } catch {
                thrown += 1
            }
        }
        #expect(thrown > 140)
    }
}

/// The payloads of the fixture streams, rebuilt exactly as the fixture script builds them.
enum InflatePayloads {
    /// Top bytes of a 64-bit LCG (Knuth's MMIX constants).
    static func lcgBytes(seed: UInt64, count: Int) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(state >> 56)
        }
    }

    /// 8 · (trailing zeros of a 16-bit random value, 16 for 0) + a random value below 8.
    static func skewedBytes(seed: UInt64, count: Int) -> [UInt8] {
        let source = lcgBytes(seed: seed, count: 3 * count)
        return (0..<count).map { index in
            let value = UInt16(source[3 * index]) << 8 | UInt16(source[3 * index + 1])
            return UInt8(value.trailingZeroBitCount * 8) + source[3 * index + 2] & 7
        }
    }

    static let random = lcgBytes(seed: 1, count: 4096)
    static let skewed = skewedBytes(seed: 4, count: 4096)
    static let repeats = [UInt8](repeating: 0, count: 3000)
        + Array([[UInt8]](repeating: lcgBytes(seed: 2, count: 300), count: 10).joined())
        + Array([[UInt8]](repeating: Array("ab".utf8), count: 500).joined())
    static let far = lcgBytes(seed: 3, count: 1000) + [UInt8](repeating: 0, count: 20000) + lcgBytes(seed: 3, count: 1000)

    static func named(_ name: String) -> [UInt8]? {
        ["empty": [], "random": random, "skewed": skewed, "repeats": repeats, "far": far][name]
    }
}

/// Writes DEFLATE bits by hand, to build streams no compressor would write.
struct DeflateBitWriter {
    private(set) var bytes: [UInt8] = []
    private var bitCount = 0

    /// `count` bits of `value`, least significant first (DEFLATE's order for non-code fields).
    mutating func bits(_ value: Int, count: Int) {
        for bit in 0..<count {
            if bitCount % 8 == 0 { bytes.append(0) }
            if value >> bit & 1 == 1 { bytes[bytes.count - 1] |= UInt8(1 << (bitCount % 8)) }
            bitCount += 1
        }
    }

    /// A Huffman code, most significant bit first.
    mutating func huffmanCode(_ code: Int, length: Int) {
        for bit in stride(from: length - 1, through: 0, by: -1) { bits(code >> bit & 1, count: 1) }
    }

    mutating func fixedBlockHeader(final: Bool) {
        bits(final ? 1 : 0, count: 1)
        bits(1, count: 2)
    }

    /// A symbol of the fixed literal/length code (RFC 1951 §3.2.6), including 286 and 287.
    mutating func fixedLiteralLength(_ symbol: Int) {
        switch symbol {
        case 0...143: huffmanCode(0x30 + symbol, length: 8)
        case 144...255: huffmanCode(0x190 + symbol - 144, length: 9)
        case 256...279: huffmanCode(symbol - 256, length: 7)
        default: huffmanCode(0xC0 + symbol - 280, length: 8)
        }
    }

    mutating func fixedDistance(_ symbol: Int) { huffmanCode(symbol, length: 5) }

    /// A final dynamic block's header up to the code-length code, `codeLengthLengths` indexed
    /// by code-length symbol (written in DEFLATE's permuted order).
    mutating func dynamicBlockHeader(literalLengthCodes: Int, distanceCodes: Int, codeLengthLengths: [Int]) {
        let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
        let stored = (order.lastIndex { codeLengthLengths[$0] != 0 } ?? 0) + 1
        bits(1, count: 1)
        bits(2, count: 2)
        bits(literalLengthCodes - 257, count: 5)
        bits(distanceCodes - 1, count: 5)
        bits(max(stored, 4) - 4, count: 4)
        for symbol in order.prefix(max(stored, 4)) { bits(codeLengthLengths[symbol], count: 3) }
    }
}

import Foundation
import SafeTensors
import Testing

/// A file written by the reference Python implementation reads back exactly, and no corruption
/// of it crashes the reader.
@Suite struct PythonInteropTests {
    private static func fixtureBytes() throws -> [UInt8] {
        let folder = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return try [UInt8](Data(contentsOf: folder.appendingPathComponent("python-written.safetensors")))
    }

    @Test func readsEveryTensorOfThePythonFile() throws {
        let folder = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let file = try SafeTensorsFile(contentsOf: folder.appendingPathComponent("python-written.safetensors"))
        #expect(file.metadata == ["format": "pt", "note": "café ✓"])
        #expect(file.names == ["i64", "empty", "f32", "scalar", "bf16", "f16", "u8"])
        #expect(file.entry("f32")?.shape == [2, 3])
        #expect(file.entry("scalar")?.shape == [])
        #expect(file.entry("empty")?.shape == [0, 3])
        #expect(try file.floats("f32").map(\.bitPattern) == [0, -1.5, 3.25, Float(bitPattern: 0x0001_16C2), .infinity, -0.0].map { (value: Float) in value.bitPattern })
        #expect(try file.floats("f16") == [1, -2, 0.5, 65504, 0x1p-14, 0x1p-24, .infinity, -.infinity])
        #expect(try file.floats("bf16").map(\.bitPattern) == [0x3F80_0000, 0xC049_0000, 0x7E96_0000, 0x0001_0000])
        #expect(try file.int64s("i64") == [.min, -1, 0, 42, .max])
        #expect(try file.uint8s("u8") == [0, 1, 127, 128, 200, 255])
        #expect(try file.floats("scalar") == [7])
        #expect(try file.floats("empty") == [])
    }

    @Test func everyTruncationIsRejected() throws {
        let bytes = try Self.fixtureBytes()
        for length in 0..<bytes.count {
            #expect(throws: SafeTensorsError.self) { try SafeTensorsFile(bytes: Array(bytes[..<length])) }
        }
    }

    /// Corrupted headers must produce errors or valid files, never crashes or out-of-bounds reads.
    @Test func corruptedHeadersNeverCrash() throws {
        let bytes = try Self.fixtureBytes()
        var state: UInt64 = 12345
        for _ in 0..<5_000 {
            var corrupted = bytes
            for _ in 0..<3 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let position = Int(state >> 33) % 480
                corrupted[position] = UInt8(truncatingIfNeeded: state >> 13)
            }
            guard let file = try? SafeTensorsFile(bytes: corrupted) else { continue }
            for name in file.names {
                let count = file.entry(name)?.elementCount ?? -1
                if let values = try? file.floats(name) { #expect(values.count == count) }
                if let values = try? file.int64s(name) { #expect(values.count == count) }
            }
        }
    }
}

import Foundation
import SafeTensors
import Testing

/// Files written by `SafeTensorsWriter` read back exactly, for every dtype.
@Suite struct RoundTripTests {
    @Test func typedTensorsRoundTrip() throws {
        var writer = SafeTensorsWriter(metadata: ["format": "pt", "quote\"and\\slash": "line\nbreak ✓"])
        let floats: [Float] = [0, -1.5, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        writer.add("weights", float32: floats, shape: [2, 3])
        writer.add("half", float16: [1, -2, 65504, 0x1p-24, 1 + 0x1p-11], shape: [5])
        writer.add("ids", int64: [.min, -1, 0, .max], shape: [4])
        writer.add("pixels", uint8: [0, 128, 255], shape: [1, 3])
        writer.add("scalar", float32: [42], shape: [])
        writer.add("empty", int64: [], shape: [0, 7])
        let file = try SafeTensorsFile(bytes: writer.serialized())

        #expect(file.metadata == writer.metadata)
        #expect(Set(file.names) == ["weights", "half", "ids", "pixels", "scalar", "empty"])
        #expect(try file.floats("weights").map(\.bitPattern) == floats.map(\.bitPattern))
        #expect(try file.floats("half") == [1, -2, 65504, 0x1p-24, 1])
        #expect(try file.int64s("ids") == [.min, -1, 0, .max])
        #expect(try file.uint8s("pixels") == [0, 128, 255])
        #expect(try file.int64s("pixels") == [0, 128, 255])
        #expect(try file.floats("scalar") == [42])
        #expect(try file.int64s("empty") == [])
        // Widest elements first, then by name: empty, ids (I64), scalar, weights (F32), half, pixels.
        #expect(file.entry("weights") == TensorEntry(dtype: .float32, shape: [2, 3], dataRange: 36..<60))
        #expect(file.entry("pixels")?.dataRange == 70..<73)
        #expect(file.entry("half")?.dtype == .float16)
        #expect(file.entry("empty")?.shape == [0, 7])
        #expect(file.entry("missing") == nil)
    }

    @Test func integerDTypesWidenToInt64() throws {
        var writer = SafeTensorsWriter()
        writer.add("i8", dtype: .int8, shape: [3], littleEndianBytes: [0x80, 0xFF, 0x7F])
        writer.add("i16", dtype: .int16, shape: [2], littleEndianBytes: FileBytes.littleEndian([Int16.min, 300]))
        writer.add("u16", dtype: .uint16, shape: [2], littleEndianBytes: FileBytes.littleEndian([UInt16.max, 1]))
        writer.add("i32", dtype: .int32, shape: [2], littleEndianBytes: FileBytes.littleEndian([Int32.min, -7]))
        writer.add("u32", dtype: .uint32, shape: [1], littleEndianBytes: FileBytes.littleEndian([UInt32.max]))
        writer.add("u64", dtype: .uint64, shape: [2], littleEndianBytes: FileBytes.littleEndian([UInt64(Int64.max), 5]))
        let file = try SafeTensorsFile(bytes: writer.serialized())
        #expect(try file.int64s("i8") == [-128, -1, 127])
        #expect(try file.int64s("i16") == [-32768, 300])
        #expect(try file.int64s("u16") == [65535, 1])
        #expect(try file.int64s("i32") == [Int64(Int32.min), -7])
        #expect(try file.int64s("u32") == [Int64(UInt32.max)])
        #expect(try file.int64s("u64") == [.max, 5])
    }

    @Test func floatDTypesConvertToFloat() throws {
        var writer = SafeTensorsWriter()
        writer.add("bf16", dtype: .bfloat16, shape: [3], littleEndianBytes: FileBytes.littleEndian([UInt16(0x3F80), 0xC049, 0x0001]))
        writer.add("f64", dtype: .float64, shape: [3],
                   littleEndianBytes: FileBytes.littleEndian([0.1, -1e300, 2.5].map { (value: Double) in value.bitPattern }))
        writer.add("flags", dtype: .bool, shape: [2], littleEndianBytes: [0, 1])
        let file = try SafeTensorsFile(bytes: writer.serialized())
        #expect(try file.floats("bf16").map(\.bitPattern) == [0x3F80_0000, 0xC049_0000, 0x0001_0000])
        #expect(try file.floats("f64") == [Float(0.1), -.infinity, 2.5])
        #expect(file.entry("flags") == TensorEntry(dtype: .bool, shape: [2], dataRange: 30..<32))
    }

    @Test func layoutFollowsTheReferenceWriter() throws {
        var writer = SafeTensorsWriter(metadata: ["b": "2", "a": "1"])
        writer.add("z", uint8: [9], shape: [1])
        writer.add("y", float32: [1], shape: [1])
        writer.add("_a", float16: [1], shape: [1])
        let bytes = writer.serialized()
        let json = #"{"__metadata__":{"a":"1","b":"2"},"_a":{"dtype":"F16","shape":[1],"data_offsets":[4,6]},"#
            + #""y":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"z":{"dtype":"U8","shape":[1],"data_offsets":[6,7]}}"#
        let padded = json + String(repeating: " ", count: (8 - json.utf8.count % 8) % 8)
        #expect(bytes.count == 8 + padded.utf8.count + 7)
        #expect(Array(bytes[0..<8]) == FileBytes.littleEndian([UInt64(padded.utf8.count)]))
        #expect(padded.utf8.count % 8 == 0)
        #expect(String(decoding: bytes[8..<8 + padded.utf8.count], as: UTF8.self) == padded)
        #expect(Array(bytes[(8 + padded.utf8.count)...]) == [0, 0, 0x80, 0x3F, 0x00, 0x3C, 9])
    }

    @Test func emptyFileRoundTrips() throws {
        let file = try SafeTensorsFile(bytes: SafeTensorsWriter().serialized())
        #expect(file.names.isEmpty && file.metadata.isEmpty)
    }

    @Test func writeIsAtomicAndReplacesExistingFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("safetensors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("model.safetensors")
        for value in [Float(1), 2] {
            var writer = SafeTensorsWriter()
            writer.add("w", float32: [value], shape: [1])
            try writer.write(to: url)
            #expect(try SafeTensorsFile(contentsOf: url).floats("w") == [value])
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["model.safetensors"])
    }

    @Test func writingIntoAMissingFolderIsAnIOError() {
        let url = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/model.safetensors")
        #expect {
            try SafeTensorsWriter().write(to: url)
        } throws: { error in
            guard case .io(let operation, _, _) = error as? SafeTensorsError else { return false }
            return operation == "create"
        }
        #expect(throws: SafeTensorsError.self) { try SafeTensorsFile(contentsOf: url) }
    }
}

import DiffusionModel
import Foundation
import Numerics
import SafeTensors
import Testing

/// Shard files round-trip, and every rule a shard must satisfy is enforced on read.
@Suite struct DataShardTests {
    private static let pixels: [UInt8] = (0..<23).map { UInt8($0 * 11) } + [255]

    /// A valid two-image U8 shard `[2, 3, 2, 2]` with every optional part.
    private static func file() -> [UInt8] {
        var writer = SafeTensorsWriter(metadata: ["contributor_names": #"{"7":"ada","9":"bo"}"#, "class_names": #"{"0":"disc"}"#])
        writer.add("images", uint8: pixels, shape: [2, 3, 2, 2])
        writer.add("ids", int64: [100, 101], shape: [2])
        writer.add("contributors", int64: [7, 9], shape: [2])
        writer.add("labels", int64: [0, 0], shape: [2])
        return writer.serialized()
    }

    private static func read(_ bytes: [UInt8]) throws -> DataShard {
        try DataShard(file: try SafeTensorsFile(bytes: bytes))
    }

    /// A writer holding only what `names` lists of the valid shard, plus `extra`.
    private static func file(keeping names: Set<String>, metadata: [String: String] = [:], extra: (inout SafeTensorsWriter) -> Void) -> [UInt8] {
        var writer = SafeTensorsWriter(metadata: metadata)
        if names.contains("images") { writer.add("images", uint8: pixels, shape: [2, 3, 2, 2]) }
        if names.contains("ids") { writer.add("ids", int64: [100, 101], shape: [2]) }
        extra(&writer)
        return writer.serialized()
    }

    @Test func readsUInt8ShardsAsMinusOneToOne() throws {
        let shard = try Self.read(Self.file())
        #expect(shard.images.shape == [2, 3, 2, 2])
        #expect(shard.images.scalars == Self.pixels.map { Float($0) / 127.5 - 1 })
        #expect(shard.images.scalars.first == -1 && shard.images.scalars.last == 1)
        #expect(shard.ids == [100, 101] && shard.contributors == [7, 9] && shard.labels == [0, 0])
        #expect(shard.contributorNames == [7: "ada", 9: "bo"] && shard.classNames == [0: "disc"])
        #expect(shard.count == 2 && shard.imageShape == (3, 2, 2))
    }

    @Test(arguments: [true, false])
    func roundTripsThroughAFile(asUInt8: Bool) throws {
        let original = try Self.read(Self.file())
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shard-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("shard-00000.safetensors")
        try original.write(to: url, asUInt8: asUInt8)
        #expect(try DataShard.read(contentsOf: url) == original)
        #expect(try SafeTensorsFile(contentsOf: url).entry("images")?.dtype == (asUInt8 ? .uint8 : .float32))
    }

    @Test func optionalTensorsMayBeAbsent() throws {
        let shard = try Self.read(Self.file(keeping: ["images", "ids"]) { _ in })
        #expect(shard.contributors == nil && shard.labels == nil && shard.contributorNames.isEmpty)
    }

    @Test func missingTensors() {
        #expect(throws: DataShardError.missingTensor("images")) { try Self.read(Self.file(keeping: ["ids"]) { _ in }) }
        #expect(throws: DataShardError.missingTensor("ids")) { try Self.read(Self.file(keeping: ["images"]) { _ in }) }
    }

    @Test func wrongRanksAndDTypes() {
        #expect(throws: DataShardError.wrongRank(tensor: "images", expected: 4, shape: [2, 12])) {
            try Self.read(Self.file(keeping: ["ids"]) { $0.add("images", uint8: Self.pixels, shape: [2, 12]) })
        }
        #expect(throws: DataShardError.wrongDType(tensor: "images", dtype: .float16, expected: "U8 or F32")) {
            try Self.read(Self.file(keeping: ["ids"]) { $0.add("images", float16: Self.pixels.map { _ in 0 }, shape: [2, 3, 2, 2]) })
        }
        #expect(throws: DataShardError.wrongRank(tensor: "ids", expected: 1, shape: [2, 1])) {
            try Self.read(Self.file(keeping: ["images"]) { $0.add("ids", int64: [1, 2], shape: [2, 1]) })
        }
        #expect(throws: DataShardError.wrongDType(tensor: "labels", dtype: .uint8, expected: "I64")) {
            try Self.read(Self.file(keeping: ["images", "ids"]) { $0.add("labels", uint8: [1, 2], shape: [2]) })
        }
    }

    @Test func perExampleCountsMustMatchTheImages() {
        #expect(throws: DataShardError.countMismatch(tensor: "ids", count: 3, images: 2)) {
            try Self.read(Self.file(keeping: ["images"]) { $0.add("ids", int64: [1, 2, 3], shape: [3]) })
        }
        #expect(throws: DataShardError.countMismatch(tensor: "contributors", count: 1, images: 2)) {
            try Self.read(Self.file(keeping: ["images", "ids"]) { $0.add("contributors", int64: [1], shape: [1]) })
        }
    }

    @Test func idsMustBeUnique() {
        #expect(throws: DataShardError.duplicateID(5)) {
            try Self.read(Self.file(keeping: ["images"]) { $0.add("ids", int64: [5, 5], shape: [2]) })
        }
    }

    @Test(arguments: [Float(1.0001), -1.5, .nan, .infinity])
    func floatImagesMustLieInMinusOneToOne(badValue: Float) {
        var scalars = [Float](repeating: 0.5, count: 24)
        scalars[13] = badValue
        #expect {
            try Self.read(Self.file(keeping: ["ids"]) { $0.add("images", float32: scalars, shape: [2, 3, 2, 2]) })
        } throws: { error in
            guard case .imageValueOutOfRange(let index, let value) = error as? DataShardError else { return false }
            return index == 13 && value.bitPattern == badValue.bitPattern
        }
    }

    @Test(arguments: [#"["ada"]"#, #"{"x":"ada"}"#, #"{"1":2}"#, "not json", #"{"1":"a","01":"b"}"#])
    func nameTablesMustMapIntegerIdsToNames(table: String) {
        #expect {
            try Self.read(Self.file(keeping: ["images", "ids"], metadata: ["class_names": table]) { _ in })
        } throws: { error in
            guard case .badMetadata(let key, _) = error as? DataShardError else { return false }
            return key == "class_names"
        }
    }

    @Test func unreadableFilesReportTheContainerError() {
        let url = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString).safetensors")
        #expect {
            try DataShard.read(contentsOf: url)
        } throws: { error in
            guard case .file(.io) = error as? DataShardError else { return false }
            return true
        }
        #expect(DataShardError.duplicateID(5).description.contains("5"))
    }

    @Test func buildingAnInvalidShardInMemoryFails() {
        #expect(throws: DataShardError.wrongRank(tensor: "images", expected: 4, shape: [4])) {
            try DataShard(images: Tensor(shape: [4]), ids: [1, 2, 3, 4])
        }
    }
}

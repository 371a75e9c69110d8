import Foundation
import Numerics
import SafeTensors

extension DataShard {
    /// Tensor and metadata names of the shard file format.
    enum Key {
        static let images = "images", ids = "ids", contributors = "contributors", labels = "labels"
        static let contributorNames = "contributor_names", classNames = "class_names"
    }

    /// Reads and validates a shard file: `images` (U8 0…255, mapped to x/127.5 − 1, or F32 in
    /// [-1, 1]) `[N, C, H, W]`, `ids` I64 `[N]`, optional `contributors` and `labels` I64 `[N]`,
    /// and the name tables in metadata as JSON objects `{"<id>": "name"}`.
    public static func read(contentsOf url: URL) throws(DataShardError) -> DataShard {
        let file: SafeTensorsFile
        do { file = try SafeTensorsFile(contentsOf: url) } catch { throw .file(error) }
        return try DataShard(file: file)
    }

    /// Validates a shard held in an opened safetensors file.
    public init(file: SafeTensorsFile) throws(DataShardError) {
        let images = try Self.readImages(file)
        try self.init(
            images: images,
            ids: try Self.readPerExample(file, Key.ids, required: true) ?? [],
            contributors: try Self.readPerExample(file, Key.contributors, required: false),
            labels: try Self.readPerExample(file, Key.labels, required: false),
            contributorNames: try Self.nameTable(file.metadata, key: Key.contributorNames),
            classNames: try Self.nameTable(file.metadata, key: Key.classNames))
    }

    /// The shard as a safetensors file; `asUInt8` stores images as bytes (x+1)·127.5 rounded,
    /// a quarter of the size and exact for images that came from 8-bit pixels.
    public func serialized(asUInt8: Bool) -> [UInt8] {
        writer(asUInt8: asUInt8).serialized()
    }

    /// Writes the shard atomically (see `serialized(asUInt8:)`).
    public func write(to url: URL, asUInt8: Bool) throws(DataShardError) {
        do { try writer(asUInt8: asUInt8).write(to: url) } catch { throw .file(error) }
    }

    private func writer(asUInt8: Bool) -> SafeTensorsWriter {
        var metadata: [String: String] = [:]
        if !contributorNames.isEmpty { metadata[Key.contributorNames] = Self.json(contributorNames) }
        if !classNames.isEmpty { metadata[Key.classNames] = Self.json(classNames) }
        var writer = SafeTensorsWriter(metadata: metadata)
        if asUInt8 {
            // Validated to [-1, 1], so the rounded value lies in 0...255.
            writer.add(Key.images, uint8: images.scalars.map { UInt8(($0 + 1) * 127.5 + 0.5) }, shape: images.shape)
        } else {
            writer.add(Key.images, float32: images.scalars, shape: images.shape)
        }
        writer.add(Key.ids, int64: ids, shape: [count])
        if let contributors { writer.add(Key.contributors, int64: contributors, shape: [count]) }
        if let labels { writer.add(Key.labels, int64: labels, shape: [count]) }
        return writer
    }

    private static func readImages(_ file: SafeTensorsFile) throws(DataShardError) -> Tensor {
        guard let entry = file.entry(Key.images) else { throw .missingTensor(Key.images) }
        guard entry.shape.count == 4 else { throw .wrongRank(tensor: Key.images, expected: 4, shape: entry.shape) }
        guard entry.dtype == .uint8 || entry.dtype == .float32 else {
            throw .wrongDType(tensor: Key.images, dtype: entry.dtype, expected: "U8 or F32")
        }
        do {
            let scalars = entry.dtype == .uint8
                ? try file.uint8s(Key.images).map { Float($0) / 127.5 - 1 }
                : try file.floats(Key.images)
            return Tensor(shape: entry.shape, scalars: scalars)
        } catch {
            throw .file(error)
        }
    }

    private static func readPerExample(_ file: SafeTensorsFile, _ name: String, required: Bool) throws(DataShardError) -> [Int64]? {
        guard let entry = file.entry(name) else {
            if required { throw .missingTensor(name) }
            return nil
        }
        guard entry.shape.count == 1 else { throw .wrongRank(tensor: name, expected: 1, shape: entry.shape) }
        guard entry.dtype == .int64 else { throw .wrongDType(tensor: name, dtype: entry.dtype, expected: "I64") }
        do { return try file.int64s(name) } catch { throw .file(error) }
    }

    private static func nameTable(_ metadata: [String: String], key: String) throws(DataShardError) -> [Int64: String] {
        guard let text = metadata[key] else { return [:] }
        let object: [String: String]
        do {
            object = try JSONDecoder().decode([String: String].self, from: Data(text.utf8))
        } catch {
            throw .badMetadata(key: key, reason: "not a JSON object of strings")
        }
        var table: [Int64: String] = [:]
        for (idText, name) in object {
            guard let id = Int64(idText) else { throw .badMetadata(key: key, reason: "\"\(idText)\" is not an integer id") }
            guard table.updateValue(name, forKey: id) == nil else {
                throw .badMetadata(key: key, reason: "id \(id) is named twice")
            }
        }
        return table
    }

    /// `{"<id>": "name", ...}` with sorted keys; encoding a string dictionary cannot fail.
    private static func json(_ table: [Int64: String]) -> String {
        let object = Dictionary(uniqueKeysWithValues: table.map { (String($0.key), $0.value) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(object)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

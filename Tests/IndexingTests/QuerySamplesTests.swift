import DiffusionModel
import Foundation
import Indexing
import Numerics
import SafeTensors
import Testing

@Suite struct QuerySamplesTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("query-samples-\(UUID().uuidString)")

    init() throws { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }

    @Test func readsPNGsAndSafetensorsInEveryAcceptedForm() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let png = folder.appendingPathComponent("sample.png")
        try PNGWriter.write(RGBImage(width: 2, height: 1, pixels: [0, 255, 0, 255, 0, 255]), to: png)
        let image = try QuerySamples.load(contentsOf: png)
        #expect(image.shape == [1, 3, 1, 2])
        #expect(image.scalars == [-1, 1, 1, -1, -1, 1])

        var floats = SafeTensorsWriter()
        floats.add("samples", float32: [0.5, -0.25, 1, -1], shape: [1, 2, 2])
        let floatFile = folder.appendingPathComponent("floats.safetensors")
        try floats.write(to: floatFile)
        #expect(try QuerySamples.load(contentsOf: floatFile).shape == [1, 1, 2, 2])

        var bytes = SafeTensorsWriter()
        bytes.add("images", uint8: [0, 255, 51, 204], shape: [2, 1, 1, 2])
        let byteFile = folder.appendingPathComponent("bytes.safetensors")
        try bytes.write(to: byteFile)
        let decoded = try QuerySamples.load(contentsOf: byteFile)
        #expect(decoded.shape == [2, 1, 1, 2] && decoded.scalars[0] == -1 && decoded.scalars[1] == 1)
        #expect(try QuerySamples.concatenate([decoded, decoded]).shape == [4, 1, 1, 2])
    }

    @Test func rejectsMissingTensorsBadShapesAndValuesOutsideThePixelRange() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        func file(_ name: String, _ values: [Float], _ shape: [Int]) throws -> URL {
            var writer = SafeTensorsWriter()
            writer.add(name, float32: values, shape: shape)
            let url = folder.appendingPathComponent("\(name)-\(shape.count)-\(values.count).safetensors")
            try writer.write(to: url)
            return url
        }
        #expect(throws: QuerySamplesError.self) { try QuerySamples.load(contentsOf: file("weights", [0], [1])) }
        #expect(throws: QuerySamplesError.self) { try QuerySamples.load(contentsOf: file("images", [0, 0], [2])) }
        #expect(throws: QuerySamplesError.self) { try QuerySamples.load(contentsOf: file("images", [0, .nan], [1, 1, 1, 2])) }
        #expect(throws: QuerySamplesError.self) { try QuerySamples.load(contentsOf: file("images", [0, 3], [1, 1, 1, 2])) }
        #expect(throws: QuerySamplesError.self) {
            try QuerySamples.concatenate([Tensor(shape: [1, 1, 2, 2]), Tensor(shape: [1, 1, 4, 4])])
        }
        #expect(throws: (any Error).self) { try QuerySamples.load(contentsOf: folder.appendingPathComponent("missing.png")) }
    }
}

import AttributionProtocol
import DiffusionModel
import Foundation
import SafeTensors
import Testing
@testable import attributionctl

/// Reading PNG and safetensors samples into the tensors the daemon expects inline.
@Suite struct CtlSampleFilesTests {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ctl-samples-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func writePNG(_ image: RGBImage, _ name: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try PNGWriter.write(image, to: url)
        return url.path
    }

    /// A 3×2 image whose pixel (x, y) has red 10x+y, green 100 and blue 200.
    static let colour: RGBImage = {
        var pixels: [UInt8] = []
        for pixel in 0..<6 { pixels += [UInt8((pixel % 3) * 10 + pixel / 3), 100, 200] }
        return RGBImage(width: 3, height: 2, pixels: pixels)
    }()

    @Test func aColourPNGBecomesThreeChannelsInMinusOneToOne() throws {
        let images = try SampleFiles.load(path: try writePNG(Self.colour, "colour.png"), channels: .auto)
        #expect(images.shape == [1, 3, 2, 3])
        #expect(images.labels == ["colour.png"])
        // Channel-first: red plane, then green, then blue, rows top to bottom.
        #expect(images.values[0] == 0 / 127.5 - 1)
        #expect(images.values[1] == 10 / 127.5 - 1)
        #expect(images.values[3] == 1 / 127.5 - 1)
        #expect(images.values[6] == 100 / 127.5 - 1)
        #expect(images.values[12] == 200 / 127.5 - 1)
    }

    /// The grey levels 0, 255, 51, 102 in [-1, 1].
    static let greyValues: [Float] = [0, 255, 51, 102].map { (level: Float) -> Float in level / 127.5 - 1 }

    @Test func aGreyPNGBecomesOneChannelUnlessThreeAreAskedFor() throws {
        let grey = RGBImage(width: 2, height: 2, pixels: [0, 0, 0, 255, 255, 255, 51, 51, 51, 102, 102, 102])
        let path = try writePNG(grey, "grey.png")
        let single = try SampleFiles.load(path: path, channels: .auto)
        #expect(single.shape == [1, 1, 2, 2])
        #expect(single.values == Self.greyValues)
        let triple = try SampleFiles.load(path: path, channels: .three)
        #expect(triple.shape == [1, 3, 2, 2])
        #expect(Array(triple.values[4..<8]) == single.values)
    }

    @Test func oneChannelFromColourIsLuma() throws {
        let images = try SampleFiles.load(path: try writePNG(Self.colour, "luma.png"), channels: .one)
        #expect(images.shape == [1, 1, 2, 3])
        let expected: Float = 0.299 * (-1) + 0.587 * (100 / 127.5 - 1) + 0.114 * (200 / 127.5 - 1)
        #expect(abs(images.values[0] - expected) < 1e-6)
    }

    @Test func safeTensorsSamplesAndImagesAreRead() throws {
        var writer = SafeTensorsWriter()
        writer.add("samples", float32: [-1, -0.5, 0, 0.5, 1, 1.00005, -1, 0], shape: [2, 1, 2, 2])
        let floats = folder.appendingPathComponent("generated.safetensors")
        try writer.write(to: floats)
        let images = try SampleFiles.load(path: floats.path, channels: .auto)
        #expect(images.shape == [2, 1, 2, 2])
        #expect(images.values == [-1, -0.5, 0, 0.5, 1, 1, -1, 0])
        #expect(images.labels == ["generated.safetensors[0]", "generated.safetensors[1]"])

        var bytes = SafeTensorsWriter()
        bytes.add("images", uint8: [0, 255, 51, 102], shape: [1, 2, 2])
        let shard = folder.appendingPathComponent("shard.safetensors")
        try bytes.write(to: shard)
        let fromBytes = try SampleFiles.load(path: shard.path, channels: .auto)
        #expect(fromBytes.shape == [1, 1, 2, 2])
        #expect(fromBytes.values == Self.greyValues)
    }

    @Test func badFilesAreTypedErrors() throws {
        var writer = SafeTensorsWriter()
        writer.add("weights", float32: [0], shape: [1])
        let noImages = folder.appendingPathComponent("weights.safetensors")
        try writer.write(to: noImages)
        #expect(throws: SampleFileError.noImages(path: noImages.path, tensors: ["weights"])) {
            try SampleFiles.load(path: noImages.path, channels: .auto)
        }

        var outOfRange = SafeTensorsWriter()
        outOfRange.add("samples", float32: [0, 3], shape: [1, 1, 1, 2])
        let tooBright = folder.appendingPathComponent("bright.safetensors")
        try outOfRange.write(to: tooBright)
        #expect(throws: SampleFileError.valueOutOfRange(path: tooBright.path, index: 1, value: 3)) {
            try SampleFiles.load(path: tooBright.path, channels: .auto)
        }

        let missing = folder.appendingPathComponent("missing.png").path
        #expect(throws: SampleFileError.self) { try SampleFiles.load(path: missing, channels: .auto) }
        let notPNG = folder.appendingPathComponent("text.png")
        try Data("hello".utf8).write(to: notPNG)
        #expect(throws: SampleFileError.self) { try SampleFiles.load(path: notPNG.path, channels: .auto) }
    }

    @Test func concatenationKeepsOrderAndRefusesMixedShapes() throws {
        let first = SampleImages(values: [0, 0, 0, 0], shape: [1, 1, 2, 2], labels: ["a"])
        let second = SampleImages(values: [1, 1, 1, 1, -1, -1, -1, -1], shape: [2, 1, 2, 2], labels: ["b[0]", "b[1]"])
        let joined = try SampleImages.concatenate([first, second])
        #expect(joined.shape == [3, 1, 2, 2])
        #expect(joined.labels == ["a", "b[0]", "b[1]"])
        #expect(joined.image(2) == [-1, -1, -1, -1])
        #expect(joined.tensor.shape == [3, 1, 2, 2])

        let other = SampleImages(values: [0, 0, 0], shape: [1, 3, 1, 1], labels: ["c"])
        #expect(throws: SampleFileError.self) { try SampleImages.concatenate([first, other]) }
        #expect(throws: SampleFileError.noSamples) { try SampleImages.concatenate([]) }
    }
}

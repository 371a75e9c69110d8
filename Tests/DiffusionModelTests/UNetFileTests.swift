import DiffusionModel
import Foundation
import Numerics
import SafeTensors
import Testing

/// Saving and loading diffusers UNet folders, and refusing broken ones with the cause named.
@Suite struct UNetFileTests {
    private static func tinyModel() throws -> UNet2DModel {
        let config = try UNetTestSupport.tinyConfig()
        return try UNet2DModel(config: config, parameters: UNetTestSupport.randomizedParameters(for: config, seed: 7))
    }

    /// Saves `model` into a fresh folder, lets `damage` change the folder, and returns the
    /// error loading it throws (nil if it loads).
    private static func loadingError(_ model: UNet2DModel, damage: (URL) throws -> Void) throws -> UNet2DModelError? {
        let folder = try UNetTestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try model.save(unetFolder: folder)
        try damage(folder)
        do {
            _ = try UNet2DModel.load(unetFolder: folder)
            return nil
        } catch {
            return error
        }
    }

    /// Replaces the weights file in `folder` with `parameters`, each tensor written by `add`
    /// (F32 by default).
    private static func writeWeights(
        _ parameters: ParameterSet, into folder: URL,
        add: (inout SafeTensorsWriter, String, Tensor) -> Void = { $0.add($1, float32: $2.scalars, shape: $2.shape) }
    ) throws {
        var writer = SafeTensorsWriter(metadata: ["format": "pt"])
        for (name, tensor) in parameters.entries { add(&writer, name, tensor) }
        try writer.write(to: folder.appendingPathComponent(UNet2DModel.weightsFileName))
    }

    @Test func saveThenLoadGivesTheSameModel() throws {
        let model = try Self.tinyModel()
        let root = try UNetTestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("unet")  // created by save
        try model.save(unetFolder: folder)
        let loaded = try UNet2DModel.load(unetFolder: folder)
        #expect(loaded.config == model.config)
        #expect(loaded.parameters == model.parameters)
        let file = try SafeTensorsFile(contentsOf: folder.appendingPathComponent(UNet2DModel.weightsFileName))
        #expect(file.metadata["format"] == "pt")
        #expect(file.names.allSatisfy { file.entry($0)?.dtype == .float32 })
    }

    @Test(arguments: [DType.float16, DType.bfloat16])
    func halfPrecisionWeightsLoad(dtype: DType) throws {
        let model = try Self.tinyModel()
        let folder = try UNetTestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try model.save(unetFolder: folder)
        // BF16 keeps the upper half of the Float32 bits (truncation, so the expected values are exact).
        let bfloat16Bits = { (value: Float) in UInt16(truncatingIfNeeded: value.bitPattern >> 16) }
        try Self.writeWeights(model.parameters, into: folder) { writer, name, tensor in
            if dtype == .float16 {
                writer.add(name, float16: tensor.scalars, shape: tensor.shape)
            } else {
                let bytes = tensor.scalars.flatMap { value in
                    [UInt8(truncatingIfNeeded: bfloat16Bits(value)), UInt8(truncatingIfNeeded: bfloat16Bits(value) >> 8)]
                }
                writer.add(name, dtype: .bfloat16, shape: tensor.shape, littleEndianBytes: bytes)
            }
        }
        let loaded = try UNet2DModel.load(unetFolder: folder)
        for (name, tensor) in model.parameters.entries {
            let expected = tensor.scalars.map { value in
                dtype == .float16 ? HalfPrecision.float(fromFloat16Bits: HalfPrecision.float16Bits(from: value))
                    : HalfPrecision.float(fromBFloat16Bits: bfloat16Bits(value))
            }
            #expect(loaded.parameters[name]?.scalars == expected, "\(name) as \(dtype)")
        }
    }

    @Test func missingKeyIsNamed() throws {
        let model = try Self.tinyModel()
        var parameters = model.parameters
        parameters["mid_block.attentions.0.to_v.bias"] = nil
        let error = try Self.loadingError(model) { try Self.writeWeights(parameters, into: $0) }
        let expected = try #require(ParameterMismatch(parameters: parameters, expected: model.parameterSpecs))
        #expect(expected.missing == ["mid_block.attentions.0.to_v.bias"] && expected.unexpected.isEmpty && expected.wrongShapes.isEmpty)
        let message = try #require(error?.description)
        #expect(message.contains("missing keys: mid_block.attentions.0.to_v.bias"), "\(message)")
        #expect(message.contains(UNet2DModel.weightsFileName), "\(message)")
    }

    @Test func wrongShapeAndExtraKeyAreNamed() throws {
        let model = try Self.tinyModel()
        var parameters = model.parameters
        let weight = try #require(parameters["up_blocks.1.resnets.0.conv1.weight"])
        parameters["up_blocks.1.resnets.0.conv1.weight"] = weight.reshaped([weight.shape[0], weight.shape[1], 9, 1])
        parameters["up_blocks.1.resnets.0.extra.weight"] = Tensor(shape: [1], repeating: 0)
        let error = try Self.loadingError(model) { try Self.writeWeights(parameters, into: $0) }
        let message = try #require(error?.description)
        #expect(message.contains("up_blocks.1.resnets.0.conv1.weight (expected [4, 12, 3, 3], found [4, 12, 9, 1])"), "\(message)")
        #expect(message.contains("unexpected keys: up_blocks.1.resnets.0.extra.weight"), "\(message)")
    }

    @Test func nonFiniteWeightsAreRefused() throws {
        let model = try Self.tinyModel()
        var parameters = model.parameters
        var bias = try #require(parameters["conv_out.bias"])
        bias.scalars[1] = .nan
        parameters["conv_out.bias"] = bias
        let error = try Self.loadingError(model) { try Self.writeWeights(parameters, into: $0) }
        #expect(error == .nonFiniteWeights(path: try #require(Self.path(of: error)), names: ["conv_out.bias"]))
    }

    @Test func missingAndBrokenFilesAreReportedWithTheirPath() throws {
        let model = try Self.tinyModel()
        let config = UNet2DModel.configFileName, weights = UNet2DModel.weightsFileName
        let noConfig = try Self.loadingError(model) { try FileManager.default.removeItem(at: $0.appendingPathComponent(config)) }
        #expect(noConfig == .missingFile(path: try #require(Self.path(of: noConfig))))
        #expect(Self.path(of: noConfig)?.hasSuffix(config) == true)

        let noWeights = try Self.loadingError(model) { try FileManager.default.removeItem(at: $0.appendingPathComponent(weights)) }
        #expect(noWeights == .missingFile(path: try #require(Self.path(of: noWeights))))
        #expect(Self.path(of: noWeights)?.hasSuffix(weights) == true)

        let badJSON = try Self.loadingError(model) { try Data("{\"in_channels\": ".utf8).write(to: $0.appendingPathComponent(config)) }
        guard case .invalidConfig(let configPath, .malformedJSON)? = badJSON else {
            Issue.record("expected a JSON error, got \(String(describing: badJSON))")
            return
        }
        #expect(configPath.hasSuffix(config))

        let garbage = try Self.loadingError(model) { try Data([1, 2, 3]).write(to: $0.appendingPathComponent(weights)) }
        #expect(garbage == .invalidWeights(path: try #require(Self.path(of: garbage)), .fileTooShort(byteCount: 3)))
    }

    @Test func unsupportedBlockTypeInTheFolderIsNamed() throws {
        let model = try Self.tinyModel()
        let error = try Self.loadingError(model) { folder in
            let url = folder.appendingPathComponent(UNet2DModel.configFileName)
            let text = try String(contentsOf: url, encoding: .utf8)
            try Data(text.replacingOccurrences(of: "\"AttnDownBlock2D\"", with: "\"SkipDownBlock2D\"").utf8).write(to: url)
        }
        let message = try #require(error?.description)
        #expect(message.contains(#"unsupported config value down_block_types[1] = "SkipDownBlock2D""#), "\(message)")
        #expect(message.contains(UNet2DModel.configFileName), "\(message)")
    }

    @Test func parametersMustMatchTheConfig() throws {
        let config = try UNetTestSupport.tinyConfig()
        var parameters = UNetTestSupport.randomizedParameters(for: config, seed: 1)
        parameters["conv_in.bias"] = nil
        let mismatch = try #require(ParameterMismatch(parameters: parameters, expected: UNet2DModel.parameterSpecs(for: config)))
        #expect(throws: UNet2DModelError.parameterMismatch(mismatch)) { try UNet2DModel(config: config, parameters: parameters) }
        #expect(mismatch.description == "missing keys: conv_in.bias")
    }

    /// The file path an error names, if any.
    private static func path(of error: UNet2DModelError?) -> String? {
        switch error {
        case .missingFile(let path)?, .unreadableFile(let path, _)?, .invalidConfig(let path, _)?, .invalidWeights(let path, _)?,
             .weightsDoNotMatchConfig(let path, _)?, .nonFiniteWeights(let path, _)?, .writeFailed(let path, _)?:
            path
        case .parameterMismatch?, nil:
            nil
        }
    }
}

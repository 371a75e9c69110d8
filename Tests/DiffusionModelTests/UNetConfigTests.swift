import DiffusionModel
import Foundation
import Testing

/// Reading and writing diffusers' `config.json` for UNet2DModel.
@Suite struct UNetConfigTests {
    private static func decode(_ json: String) throws(UNet2DConfigError) -> UNet2DConfig {
        try UNet2DConfig.decode(fromJSON: Data(json.utf8))
    }

    /// The message of the error decoding `json` throws, or nil if it decodes.
    private static func failure(_ json: String) -> String? {
        do {
            _ = try decode(json)
            return nil
        } catch {
            return error.description
        }
    }

    private static func fixtureConfigData(_ name: String) throws -> Data {
        try Data(contentsOf: UNetTestSupport.unetFolder(name).appendingPathComponent(UNet2DModel.configFileName))
    }

    @Test func diffusersWrittenConfigDecodes() throws {
        let config = try UNet2DConfig.decode(fromJSON: Self.fixtureConfigData("unet-attn-scaleshift"))
        #expect(config.sampleSize == 8 && config.inChannels == 3 && config.outChannels == 3)
        #expect(config.blockOutChannels == [8, 16] && config.layersPerBlock == 1)
        #expect(config.downBlockTypes == [.downBlock2D, .attnDownBlock2D] && config.upBlockTypes == [.attnUpBlock2D, .upBlock2D])
        #expect(config.midBlockType == .unetMidBlock2D && config.addAttention)
        #expect(config.resnetTimeScaleShift == .scaleShift && config.attnNormNumGroups == nil)
        #expect(config.flipSinToCos && config.freqShift == 0 && config.normEps == 1e-5)
        #expect(config.normNumGroups == 4 && config.attentionHeadDim == 4 && config.timeEmbeddingChannels == 32)
    }

    @Test func absentKeysTakeDiffusersDefaultsAndUnknownKeysAreIgnored() throws {
        let config = try Self.decode(#"{"_class_name": "UNet2DModel", "_use_default_values": ["x"], "something_new": 3}"#)
        #expect(config == (try UNet2DConfig()))
        #expect(config.sampleSize == nil && config.inChannels == 3 && config.outChannels == 3 && !config.centerInputSample)
        #expect(config.blockOutChannels == [224, 448, 672, 896] && config.layersPerBlock == 2)
        #expect(config.downBlockTypes == [.downBlock2D, .attnDownBlock2D, .attnDownBlock2D, .attnDownBlock2D])
        #expect(config.upBlockTypes == [.attnUpBlock2D, .attnUpBlock2D, .attnUpBlock2D, .upBlock2D])
        #expect(config.flipSinToCos && config.freqShift == 0 && config.downsamplePadding == 1 && config.midBlockScaleFactor == 1)
        #expect(config.attentionHeadDim == 8 && config.normNumGroups == 32 && config.normEps == 1e-5)
        #expect(config.resnetTimeScaleShift == .default && config.addAttention && config.activation == .silu)
    }

    @Test(arguments: [
        (#""down_block_types": ["DownBlock2D", "SkipDownBlock2D"], "up_block_types": ["UpBlock2D", "UpBlock2D"], "#
            + #""block_out_channels": [32, 64]"#,
         #"down_block_types[1] = "SkipDownBlock2D""#),
        (#""up_block_types": ["CrossAttnUpBlock2D", "UpBlock2D", "UpBlock2D", "UpBlock2D"]"#, #"up_block_types[0] = "CrossAttnUpBlock2D""#),
        (#""mid_block_type": "UNetMidBlock2DCrossAttn""#, #"mid_block_type = "UNetMidBlock2DCrossAttn""#),
        (#""time_embedding_type": "fourier""#, #"time_embedding_type = "fourier""#),
        (#""resnet_time_scale_shift": "ada_group""#, #"resnet_time_scale_shift = "ada_group""#),
        (#""act_fn": "gelu""#, #"act_fn = "gelu""#),
        (#""class_embed_type": "timestep""#, #"class_embed_type = "timestep""#),
        (#""num_class_embeds": 10"#, "num_class_embeds = 10"),
        (#""dropout": 0.1"#, "dropout = 0.1"),
        (#""downsample_type": "resnet""#, #"downsample_type = "resnet""#),
        (#""upsample_type": "resnet""#, #"upsample_type = "resnet""#),
        (#""_class_name": "UNet2DConditionModel""#, #"_class_name = "UNet2DConditionModel""#),
        (#""sample_size": [8, 16]"#, "sample_size = [8, 16]"),
    ])
    func unsupportedValuesAreRefusedByName(fragment: String, named: String) {
        let message = Self.failure("{\(fragment)}")
        #expect(message?.contains("unsupported config value \(named)") == true, "got: \(message ?? "no error")")
    }

    /// Two levels of 8 and 16 channels with plain blocks, for the channel-arithmetic cases.
    private static let twoPlainLevels =
        #""block_out_channels": [8, 16], "down_block_types": ["DownBlock2D", "DownBlock2D"], "up_block_types": ["UpBlock2D", "UpBlock2D"]"#

    @Test(arguments: [
        (twoPlainLevels + #", "norm_num_groups": 3"#, "norm_num_groups = 3"),
        (#""block_out_channels": [8, 16], "down_block_types": ["DownBlock2D", "AttnDownBlock2D"], "#
            + #""up_block_types": ["UpBlock2D", "UpBlock2D"], "norm_num_groups": 4, "attention_head_dim": 32"#,
         "attention_head_dim = 32"),
        (twoPlainLevels + #", "norm_num_groups": 4, "attn_norm_num_groups": 3"#, "attn_norm_num_groups = 3"),
        (#""block_out_channels": [32, 64]"#, "down_block_types = 4 blocks"),
        (#""in_channels": 0"#, "in_channels = 0"),
        (#""layers_per_block": null"#, "layers_per_block = null"),
        (#""norm_eps": -1"#, "norm_eps = -1.0"),
    ])
    func invalidValuesAreRefusedByName(fragment: String, named: String) {
        let message = Self.failure("{\(fragment)}")
        #expect(message?.contains("invalid config value \(named)") == true, "got: \(message ?? "no error")")
    }

    @Test func wrongTypesAndMalformedJSONAreRefused() {
        #expect(Self.failure(#"{"in_channels": "three"}"#)?.contains("in_channels") == true)
        #expect(Self.failure(#"{"block_out_channels": 32}"#)?.contains("block_out_channels") == true)
        #expect(Self.failure(#"{"in_channels": 3"#)?.contains("not a JSON object") == true)
        #expect(Self.failure("[1, 2]")?.contains("not a JSON object") == true)
    }

    @Test(arguments: UNetTestSupport.fixtureModels)
    func encodingWritesWhatDiffusersWrites(name: String) throws {
        let data = try Self.fixtureConfigData(name)
        let config = try UNet2DConfig.decode(fromJSON: data)
        let encoded = try config.jsonData()
        #expect(try UNet2DConfig.decode(fromJSON: encoded) == config)
        let written = try #require(try JSONSerialization.jsonObject(with: encoded) as? NSDictionary)
        let diffusers = try #require(try JSONSerialization.jsonObject(with: data) as? NSDictionary)
        #expect(written == diffusers)
    }

    @Test func nonDefaultSettingsRoundTrip() throws {
        let config = try UNet2DConfig(
            sampleSize: nil, inChannels: 1, outChannels: 2, centerInputSample: true, timeEmbeddingDim: 24, freqShift: 0.5,
            flipSinToCos: false, downBlockTypes: [.attnDownBlock2D, .downBlock2D], midBlockType: nil,
            upBlockTypes: [.upBlock2D, .attnUpBlock2D], blockOutChannels: [8, 8], layersPerBlock: 3,
            midBlockScaleFactor: 1.5, downsamplePadding: 0, activation: .swish, attentionHeadDim: nil, normNumGroups: 2,
            attnNormNumGroups: 4, normEps: 1e-6, resnetTimeScaleShift: .scaleShift, addAttention: false, numTrainTimesteps: 1000)
        #expect(try UNet2DConfig.decode(fromJSON: config.jsonData()) == config)
        #expect(config.spatialSizeMultiple == 2 && config.timeEmbeddingChannels == 24)
    }
}

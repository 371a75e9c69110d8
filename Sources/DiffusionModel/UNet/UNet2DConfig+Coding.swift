import Foundation

extension UNet2DConfig: Codable {
    enum CodingKeys: String, CodingKey {
        case className = "_class_name", diffusersVersion = "_diffusers_version"
        case sampleSize = "sample_size", inChannels = "in_channels", outChannels = "out_channels"
        case centerInputSample = "center_input_sample", timeEmbeddingType = "time_embedding_type"
        case timeEmbeddingDim = "time_embedding_dim", freqShift = "freq_shift", flipSinToCos = "flip_sin_to_cos"
        case downBlockTypes = "down_block_types", midBlockType = "mid_block_type", upBlockTypes = "up_block_types"
        case blockOutChannels = "block_out_channels", layersPerBlock = "layers_per_block"
        case midBlockScaleFactor = "mid_block_scale_factor", downsamplePadding = "downsample_padding"
        case downsampleType = "downsample_type", upsampleType = "upsample_type", dropout, actFn = "act_fn"
        case attentionHeadDim = "attention_head_dim", normNumGroups = "norm_num_groups"
        case attnNormNumGroups = "attn_norm_num_groups", normEps = "norm_eps"
        case resnetTimeScaleShift = "resnet_time_scale_shift", addAttention = "add_attention"
        case classEmbedType = "class_embed_type", numClassEmbeds = "num_class_embeds"
        case numTrainTimesteps = "num_train_timesteps"
    }

    /// diffusers' class name for this model.
    static let className = "UNet2DModel"

    /// Reads diffusers' keys. Absent keys take diffusers' defaults, unknown keys are ignored (as
    /// diffusers ignores them), and wrong types, unsupported or invalid values throw
    /// ``UNet2DConfigError``.
    public init(from decoder: any Decoder) throws {
        let reader = ConfigReader(container: try decoder.container(keyedBy: CodingKeys.self))
        try reader.requireFixed(.className, Self.className, nullable: false)
        try reader.requireFixed(.timeEmbeddingType, "positional", nullable: false)
        try reader.requireFixed(.downsampleType, "conv", nullable: true)
        try reader.requireFixed(.upsampleType, "conv", nullable: true)
        try reader.requireAbsentOrNull(.classEmbedType)
        try reader.requireAbsentOrNull(.numClassEmbeds)
        let dropout = try reader.value(.dropout, default: 0.0)
        guard dropout == 0 else {
            throw UNet2DConfigError.unsupportedValue(key: "dropout", value: "\(dropout)",
                                                     supported: ["0.0 (training-time dropout is not implemented)"])
        }
        let defaults = try UNet2DConfig()
        try self.init(
            sampleSize: try reader.sampleSize(),
            inChannels: try reader.value(.inChannels, default: defaults.inChannels),
            outChannels: try reader.value(.outChannels, default: defaults.outChannels),
            centerInputSample: try reader.value(.centerInputSample, default: defaults.centerInputSample),
            timeEmbeddingDim: try reader.optional(.timeEmbeddingDim, default: defaults.timeEmbeddingDim),
            freqShift: try reader.value(.freqShift, default: defaults.freqShift),
            flipSinToCos: try reader.value(.flipSinToCos, default: defaults.flipSinToCos),
            downBlockTypes: try reader.choices(.downBlockTypes, default: defaults.downBlockTypes),
            midBlockType: try reader.optionalChoice(.midBlockType, default: defaults.midBlockType),
            upBlockTypes: try reader.choices(.upBlockTypes, default: defaults.upBlockTypes),
            blockOutChannels: try reader.value(.blockOutChannels, default: defaults.blockOutChannels),
            layersPerBlock: try reader.value(.layersPerBlock, default: defaults.layersPerBlock),
            midBlockScaleFactor: try reader.value(.midBlockScaleFactor, default: defaults.midBlockScaleFactor),
            downsamplePadding: try reader.value(.downsamplePadding, default: defaults.downsamplePadding),
            activation: try reader.choice(.actFn, default: defaults.activation),
            attentionHeadDim: try reader.optional(.attentionHeadDim, default: defaults.attentionHeadDim),
            normNumGroups: try reader.value(.normNumGroups, default: defaults.normNumGroups),
            attnNormNumGroups: try reader.optional(.attnNormNumGroups, default: defaults.attnNormNumGroups),
            normEps: try reader.value(.normEps, default: defaults.normEps),
            resnetTimeScaleShift: try reader.choice(.resnetTimeScaleShift, default: defaults.resnetTimeScaleShift),
            addAttention: try reader.value(.addAttention, default: defaults.addAttention),
            numTrainTimesteps: try reader.optional(.numTrainTimesteps, default: defaults.numTrainTimesteps))
    }

    /// Writes every key `UNet2DModel.save_pretrained` writes, `null` ones included.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Self.className, forKey: .className)
        try c.encode(CheckpointLayout.diffusersVersion, forKey: .diffusersVersion)
        try c.encodeNullable(sampleSize, forKey: .sampleSize)
        try c.encode(inChannels, forKey: .inChannels)
        try c.encode(outChannels, forKey: .outChannels)
        try c.encode(centerInputSample, forKey: .centerInputSample)
        try c.encode("positional", forKey: .timeEmbeddingType)
        try c.encodeNullable(timeEmbeddingDim, forKey: .timeEmbeddingDim)
        try c.encodeNumber(freqShift, forKey: .freqShift)
        try c.encode(flipSinToCos, forKey: .flipSinToCos)
        try c.encode(downBlockTypes.map(\.rawValue), forKey: .downBlockTypes)
        try c.encodeNullable(midBlockType?.rawValue, forKey: .midBlockType)
        try c.encode(upBlockTypes.map(\.rawValue), forKey: .upBlockTypes)
        try c.encode(blockOutChannels, forKey: .blockOutChannels)
        try c.encode(layersPerBlock, forKey: .layersPerBlock)
        try c.encodeNumber(midBlockScaleFactor, forKey: .midBlockScaleFactor)
        try c.encode(downsamplePadding, forKey: .downsamplePadding)
        try c.encode("conv", forKey: .downsampleType)
        try c.encode("conv", forKey: .upsampleType)
        try c.encode(0.0, forKey: .dropout)
        try c.encode(activation.rawValue, forKey: .actFn)
        try c.encodeNullable(attentionHeadDim, forKey: .attentionHeadDim)
        try c.encode(normNumGroups, forKey: .normNumGroups)
        try c.encodeNullable(attnNormNumGroups, forKey: .attnNormNumGroups)
        try c.encode(normEps, forKey: .normEps)
        try c.encode(resnetTimeScaleShift.rawValue, forKey: .resnetTimeScaleShift)
        try c.encode(addAttention, forKey: .addAttention)
        try c.encodeNil(forKey: .classEmbedType)
        try c.encodeNil(forKey: .numClassEmbeds)
        try c.encodeNullable(numTrainTimesteps, forKey: .numTrainTimesteps)
    }

    /// Decodes a `config.json`.
    public static func decode(fromJSON data: Data) throws(UNet2DConfigError) -> UNet2DConfig {
        do {
            return try JSONDecoder().decode(UNet2DConfig.self, from: data)
        } catch let error as UNet2DConfigError {
            throw error
        } catch let DecodingError.dataCorrupted(context) {
            let cause = (context.underlyingError as? NSError)?.userInfo[NSDebugDescriptionErrorKey] as? String
            throw .malformedJSON(reason: [context.debugDescription, cause].compactMap { $0 }.joined(separator: ": "))
        } catch {
            throw .malformedJSON(reason: "\(error)")
        }
    }

    /// The `config.json` text: sorted keys, two-space indentation, as diffusers writes it.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }
}

extension KeyedEncodingContainer {
    /// Encodes `value`, or an explicit `null` when it is nil (diffusers writes every key).
    fileprivate mutating func encodeNullable<T: Encodable>(_ value: T?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }

    /// Encodes a whole number as an integer (as Python writes `1`, not `1.0`), others as reals.
    fileprivate mutating func encodeNumber(_ value: Double, forKey key: Key) throws {
        if value.rounded() == value, abs(value) < 1e15 { try encode(Int(value), forKey: key) } else { try encode(value, forKey: key) }
    }
}

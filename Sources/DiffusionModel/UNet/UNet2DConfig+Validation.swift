extension UNet2DConfig {
    /// Checks the ranges and the channel arithmetic diffusers' constructors would trip over
    /// (or silently get wrong), naming the key at fault.
    func validate() throws(UNet2DConfigError) {
        try validateScalars()
        guard !blockOutChannels.isEmpty, blockOutChannels.allSatisfy({ $0 > 0 }) else {
            throw .invalidValue(key: "block_out_channels", value: "\(blockOutChannels)", reason: "needs at least one level, all positive")
        }
        guard downBlockTypes.count == blockOutChannels.count else {
            throw .invalidValue(key: "down_block_types", value: "\(downBlockTypes.count) blocks",
                                reason: "needs one per entry of block_out_channels (\(blockOutChannels.count))")
        }
        guard upBlockTypes.count == blockOutChannels.count else {
            throw .invalidValue(key: "up_block_types", value: "\(upBlockTypes.count) blocks",
                                reason: "needs one per entry of block_out_channels (\(blockOutChannels.count))")
        }
        try validateAttentionHeads()
        try validateGroupNorms()
    }

    private func validateScalars() throws(UNet2DConfigError) {
        let positive: [(String, Int?)] = [
            ("in_channels", inChannels), ("out_channels", outChannels), ("layers_per_block", layersPerBlock),
            ("norm_num_groups", normNumGroups), ("sample_size", sampleSize), ("time_embedding_dim", timeEmbeddingDim),
            ("attention_head_dim", attentionHeadDim), ("attn_norm_num_groups", attnNormNumGroups),
        ]
        for case let (key, value?) in positive where value < 1 {
            throw .invalidValue(key: key, value: "\(value)", reason: "must be at least 1")
        }
        guard downsamplePadding >= 0 else {
            throw .invalidValue(key: "downsample_padding", value: "\(downsamplePadding)", reason: "must not be negative")
        }
        guard normEps > 0, normEps.isFinite else {
            throw .invalidValue(key: "norm_eps", value: "\(normEps)", reason: "must be positive and finite")
        }
        guard midBlockScaleFactor.isFinite, midBlockScaleFactor != 0 else {
            throw .invalidValue(key: "mid_block_scale_factor", value: "\(midBlockScaleFactor)", reason: "must be finite and non-zero")
        }
        let half = (blockOutChannels.first ?? 0) / 2
        guard freqShift.isFinite, half == 0 || Double(half) != freqShift else {
            throw .invalidValue(key: "freq_shift", value: "\(freqShift)",
                                reason: "must be finite and differ from block_out_channels[0] / 2, the frequency divisor")
        }
    }

    /// Every attention block must have at least one head of `attention_head_dim` channels.
    private func validateAttentionHeads() throws(UNet2DConfigError) {
        guard let headDimension = attentionHeadDim else { return }
        var attentionChannels = zip(downBlockTypes, blockOutChannels).filter { $0.0 == .attnDownBlock2D }.map(\.1)
        attentionChannels += zip(upBlockTypes, blockOutChannels.reversed()).filter { $0.0 == .attnUpBlock2D }.map(\.1)
        if midBlockType != nil, addAttention, let last = blockOutChannels.last { attentionChannels.append(last) }
        if let channels = attentionChannels.min(), channels < headDimension {
            throw .invalidValue(key: "attention_head_dim", value: "\(headDimension)",
                                reason: "an attention block has only \(channels) channels, too few for one head")
        }
    }

    /// Every group norm's group count must divide its channel count.
    private func validateGroupNorms() throws(UNet2DConfigError) {
        for norm in UNet2DArchitecture(config: self).groupNorms where norm.channels % norm.groups != 0 {
            let fromAttentionGroups = attnNormNumGroups != nil && norm.name.hasPrefix("mid_block.attentions.")
            throw .invalidValue(key: fromAttentionGroups ? "attn_norm_num_groups" : "norm_num_groups", value: "\(norm.groups)",
                                reason: "does not divide the \(norm.channels) channels of \(norm.name)")
        }
    }
}

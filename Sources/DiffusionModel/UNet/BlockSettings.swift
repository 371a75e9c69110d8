/// What every ResNet and attention block of one UNet shares, derived from its config.
struct BlockSettings: Sendable {
    let timeEmbeddingChannels: Int
    let groups: Int
    let epsilon: Float
    let timeScaleShift: UNet2DConfig.TimeScaleShift
    /// Channels per attention head; nil means one head per block.
    let attentionHeadDim: Int?

    init(config: UNet2DConfig) {
        timeEmbeddingChannels = config.timeEmbeddingChannels
        groups = config.normNumGroups
        epsilon = Float(config.normEps)
        timeScaleShift = config.resnetTimeScaleShift
        attentionHeadDim = config.attentionHeadDim
    }

    /// A ResNet block under prefix `name`.
    func resnet(_ name: String, inChannels: Int, outChannels: Int, outputScaleFactor: Float = 1) -> ResnetBlock2D {
        ResnetBlock2D(name: name, inChannels: inChannels, outChannels: outChannels, timeEmbeddingChannels: timeEmbeddingChannels,
                      groups: groups, epsilon: epsilon, timeScaleShift: timeScaleShift, outputScaleFactor: outputScaleFactor)
    }

    /// A self-attention block over `channels` under prefix `name`.
    func attention(_ name: String, channels: Int, groups: Int?, rescaleOutputFactor: Float = 1) -> AttentionBlock {
        AttentionBlock(name: name, channels: channels, headDimension: attentionHeadDim ?? channels, groups: groups,
                       epsilon: epsilon, rescaleOutputFactor: rescaleOutputFactor)
    }
}

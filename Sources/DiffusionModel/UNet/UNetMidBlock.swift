import Numerics

/// diffusers' `UNetMidBlock2D` with one layer (prefix `mid_block`): ResNet, optional
/// self-attention, ResNet, all dividing their outputs by `mid_block_scale_factor`.
struct UNetMidBlock: ParameterizedLayer, Sendable {
    let resnets: [ResnetBlock2D]
    let attention: AttentionBlock?

    init(config: UNet2DConfig, settings: BlockSettings) {
        let channels = config.blockOutChannels[config.blockOutChannels.count - 1]
        let factor = Float(config.midBlockScaleFactor)
        resnets = (0..<2).map {
            settings.resnet("mid_block.resnets.\($0)", inChannels: channels, outChannels: channels, outputScaleFactor: factor)
        }
        // Without attn_norm_num_groups, diffusers gives the attention a group norm only under the
        // "default" time scale shift.
        let groups = config.attnNormNumGroups ?? (config.resnetTimeScaleShift == .default ? config.normNumGroups : nil)
        attention = config.addAttention
            ? settings.attention("mid_block.attentions.0", channels: channels, groups: groups, rescaleOutputFactor: factor) : nil
    }

    var groupNorms: [GroupNormLayer] { (attention?.groupNorm.map { [$0] } ?? []) + resnets.flatMap(\.groupNorms) }

    var parameterSpecs: [ParameterSpec] { (attention?.parameterSpecs ?? []) + resnets.flatMap(\.parameterSpecs) }

    var observedLayers: [ObservedLayer] {
        resnets[0].observedLayers + (attention?.observedLayers ?? []) + resnets[1].observedLayers
    }

    func apply(_ x: Variable, activatedTimeEmbedding: Variable, _ parameters: ParameterBindings, on tape: Tape) -> Variable {
        var hidden = resnets[0].apply(x, activatedTimeEmbedding: activatedTimeEmbedding, parameters, on: tape)
        if let attention { hidden = attention.apply(hidden, parameters, on: tape) }
        return resnets[1].apply(hidden, activatedTimeEmbedding: activatedTimeEmbedding, parameters, on: tape)
    }
}

import Numerics

/// diffusers' `UpBlock2D` / `AttnUpBlock2D` (prefix `up_blocks.<index>`): `layers_per_block + 1`
/// ResNet blocks, each on the hidden state concatenated with the most recent skip connection
/// (hidden first, skip second), each followed by self-attention in the attention variant, then
/// 2x upsampling unless the block is the last.
struct UNetUpBlock: ParameterizedLayer, Sendable {
    let resnets: [ResnetBlock2D]
    /// Empty for `UpBlock2D`; one per ResNet block otherwise.
    let attentions: [AttentionBlock]
    let upsampler: Upsample2D?

    /// The block at `index` of the up path, with channels as `UNet2DModel` computes them:
    /// `outChannels = reversed[index]`, the first ResNet reads the previous block's output, and
    /// the last ResNet's skip comes from the level below (`reversed[index + 1]`, capped).
    init(index: Int, type: UNet2DConfig.UpBlockType, blockOutChannels: [Int], layers: Int, settings: BlockSettings) {
        let name = "up_blocks.\(index)"
        let reversed = Array(blockOutChannels.reversed())
        let outChannels = reversed[index]
        let previousOutChannels = reversed[max(index - 1, 0)]
        let skipFromBelow = reversed[min(index + 1, reversed.count - 1)]
        resnets = (0..<layers).map { layer in
            let hiddenChannels = layer == 0 ? previousOutChannels : outChannels
            let skipChannels = layer == layers - 1 ? skipFromBelow : outChannels
            return settings.resnet("\(name).resnets.\(layer)", inChannels: hiddenChannels + skipChannels, outChannels: outChannels)
        }
        attentions = type == .upBlock2D ? [] : (0..<layers).map { layer in
            settings.attention("\(name).attentions.\(layer)", channels: outChannels, groups: settings.groups)
        }
        upsampler = index == reversed.count - 1 ? nil : Upsample2D(name: "\(name).upsamplers.0", channels: outChannels)
    }

    var groupNorms: [GroupNormLayer] { attentions.compactMap(\.groupNorm) + resnets.flatMap(\.groupNorms) }

    /// diffusers registers `attentions` before `resnets`, so its state dict lists them first.
    var parameterSpecs: [ParameterSpec] {
        attentions.flatMap(\.parameterSpecs) + resnets.flatMap(\.parameterSpecs) + (upsampler?.parameterSpecs ?? [])
    }

    var observedLayers: [ObservedLayer] {
        resnets.indices.flatMap { layer in
            resnets[layer].observedLayers + (attentions.isEmpty ? [] : attentions[layer].observedLayers)
        } + (upsampler?.observedLayers ?? [])
    }

    /// The block applied to `x`, consuming one skip connection per ResNet from the end of `skips`.
    func apply(_ x: Variable, activatedTimeEmbedding: Variable, skips: inout [Variable],
               _ parameters: ParameterBindings, on tape: Tape) -> Variable {
        var hidden = x
        for layer in resnets.indices {
            hidden = tape.concatLastDim(hidden, skips.removeLast())
            hidden = resnets[layer].apply(hidden, activatedTimeEmbedding: activatedTimeEmbedding, parameters, on: tape)
            if !attentions.isEmpty { hidden = attentions[layer].apply(hidden, parameters, on: tape) }
        }
        if let upsampler { hidden = upsampler.apply(hidden, parameters, on: tape) }
        return hidden
    }
}

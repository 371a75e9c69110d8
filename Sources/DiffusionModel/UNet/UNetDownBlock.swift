import Numerics

/// diffusers' `DownBlock2D` / `AttnDownBlock2D` (prefix `down_blocks.<index>`): ResNet blocks,
/// each followed by self-attention in the attention variant, then a downsampler unless the
/// block is the last. Every ResNet (or attention) output and the downsampler output become
/// skip connections.
struct UNetDownBlock: ParameterizedLayer, Sendable {
    let resnets: [ResnetBlock2D]
    /// Empty for `DownBlock2D`; one per ResNet block otherwise.
    let attentions: [AttentionBlock]
    let downsampler: Downsample2D?

    init(index: Int, type: UNet2DConfig.DownBlockType, inChannels: Int, outChannels: Int, layers: Int,
         isFinal: Bool, downsamplePadding: Int, settings: BlockSettings) {
        let name = "down_blocks.\(index)"
        resnets = (0..<layers).map { layer in
            settings.resnet("\(name).resnets.\(layer)", inChannels: layer == 0 ? inChannels : outChannels, outChannels: outChannels)
        }
        attentions = type == .downBlock2D ? [] : (0..<layers).map { layer in
            settings.attention("\(name).attentions.\(layer)", channels: outChannels, groups: settings.groups)
        }
        downsampler = isFinal ? nil : Downsample2D(name: "\(name).downsamplers.0", channels: outChannels, padding: downsamplePadding)
    }

    /// Number of skip connections the block pushes.
    var skipCount: Int { resnets.count + (downsampler == nil ? 0 : 1) }

    var groupNorms: [GroupNormLayer] { attentions.compactMap(\.groupNorm) + resnets.flatMap(\.groupNorms) }

    /// diffusers registers `attentions` before `resnets`, so its state dict lists them first.
    var parameterSpecs: [ParameterSpec] {
        attentions.flatMap(\.parameterSpecs) + resnets.flatMap(\.parameterSpecs) + (downsampler?.parameterSpecs ?? [])
    }

    var observedLayers: [ObservedLayer] {
        resnets.indices.flatMap { layer in
            resnets[layer].observedLayers + (attentions.isEmpty ? [] : attentions[layer].observedLayers)
        } + (downsampler?.observedLayers ?? [])
    }

    /// The block applied to `x`, appending its skip connections to `skips`.
    func apply(_ x: Variable, activatedTimeEmbedding: Variable, skips: inout [Variable],
               _ parameters: ParameterBindings, on tape: Tape) -> Variable {
        var hidden = x
        for layer in resnets.indices {
            hidden = resnets[layer].apply(hidden, activatedTimeEmbedding: activatedTimeEmbedding, parameters, on: tape)
            if !attentions.isEmpty { hidden = attentions[layer].apply(hidden, parameters, on: tape) }
            skips.append(hidden)
        }
        if let downsampler {
            hidden = downsampler.apply(hidden, parameters, on: tape)
            skips.append(hidden)
        }
        return hidden
    }
}

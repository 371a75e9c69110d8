import Numerics

/// The module tree of a `UNet2DModel` for one config: every layer with its parameter names and
/// channel counts, and the forward pass through them.
struct UNet2DArchitecture: ParameterizedLayer, Sendable {
    let centerInputSample: Bool
    let timeEmbedding: TimestepEmbedding
    let convIn: Conv2DLayer
    let downBlocks: [UNetDownBlock]
    let midBlock: UNetMidBlock?
    let upBlocks: [UNetUpBlock]
    let convNormOut: GroupNormLayer
    let convOut: Conv2DLayer

    /// The modules `UNet2DModel.__init__` creates for `config`.
    init(config: UNet2DConfig) {
        let settings = BlockSettings(config: config)
        let channels = config.blockOutChannels
        centerInputSample = config.centerInputSample
        timeEmbedding = TimestepEmbedding(sinusoidChannels: channels[0], embeddingChannels: config.timeEmbeddingChannels,
                                          flipSinToCos: config.flipSinToCos, freqShift: config.freqShift)
        convIn = Conv2DLayer(name: "conv_in", inChannels: config.inChannels, outChannels: channels[0], kernelSize: 3, padding: 1)
        downBlocks = config.downBlockTypes.enumerated().map { index, type in
            UNetDownBlock(index: index, type: type, inChannels: channels[max(index - 1, 0)], outChannels: channels[index],
                          layers: config.layersPerBlock, isFinal: index == channels.count - 1,
                          downsamplePadding: config.downsamplePadding, settings: settings)
        }
        midBlock = config.midBlockType == nil ? nil : UNetMidBlock(config: config, settings: settings)
        upBlocks = config.upBlockTypes.enumerated().map { index, type in
            UNetUpBlock(index: index, type: type, blockOutChannels: channels, layers: config.layersPerBlock + 1, settings: settings)
        }
        convNormOut = GroupNormLayer(name: "conv_norm_out", channels: channels[0], groups: settings.groups, epsilon: settings.epsilon)
        convOut = Conv2DLayer(name: "conv_out", inChannels: channels[0], outChannels: config.outChannels, kernelSize: 3, padding: 1)
    }

    /// Every group norm, for checking that group counts divide channel counts.
    var groupNorms: [GroupNormLayer] {
        downBlocks.flatMap(\.groupNorms) + (midBlock?.groupNorms ?? []) + upBlocks.flatMap(\.groupNorms) + [convNormOut]
    }

    /// In diffusers' state-dict order: `up_blocks` are registered before `mid_block`.
    var parameterSpecs: [ParameterSpec] {
        let blocks: [any ParameterizedLayer] = downBlocks + upBlocks + (midBlock.map { [$0] } ?? [])
        return convIn.parameterSpecs + timeEmbedding.parameterSpecs + blocks.flatMap(\.parameterSpecs)
            + convNormOut.parameterSpecs + convOut.parameterSpecs
    }

    var observedLayers: [ObservedLayer] {
        timeEmbedding.observedLayers + convIn.observedLayers + downBlocks.flatMap(\.observedLayers)
            + (midBlock?.observedLayers ?? []) + upBlocks.flatMap(\.observedLayers) + convOut.observedLayers
    }

    /// `UNet2DModel.forward` on channels-last `sample` with one timestep per example.
    func apply(sample: Variable, timesteps: [Float], _ parameters: ParameterBindings, on tape: Tape) -> Variable {
        var hidden = sample
        if centerInputSample {
            let shape = tape.value(sample).shape
            hidden = tape.add(tape.scaled(sample, by: 2), tape.constant(Tensor(shape: shape, repeating: -1)))
        }
        let embedding = timeEmbedding.apply(timesteps: timesteps, parameters, on: tape)
        // Every ResNet block applies SiLU to the embedding before its projection; it is the same
        // value each time, so it is computed once.
        let activatedEmbedding = tape.silu(embedding)

        hidden = convIn.apply(hidden, parameters, on: tape)
        var skips = [hidden]
        for block in downBlocks {
            hidden = block.apply(hidden, activatedTimeEmbedding: activatedEmbedding, skips: &skips, parameters, on: tape)
        }
        if let midBlock {
            hidden = midBlock.apply(hidden, activatedTimeEmbedding: activatedEmbedding, parameters, on: tape)
        }
        for block in upBlocks {
            hidden = block.apply(hidden, activatedTimeEmbedding: activatedEmbedding, skips: &skips, parameters, on: tape)
        }
        hidden = tape.silu(convNormOut.apply(hidden, parameters, on: tape))
        return convOut.apply(hidden, parameters, on: tape)
    }
}

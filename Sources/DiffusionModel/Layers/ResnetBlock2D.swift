import Numerics

/// diffusers' `ResnetBlock2D` as `UNet2DModel` builds it (pre-norm, SiLU, no up/down sampling):
///
///     h = conv1(silu(norm1(x)))
///     t = time_emb_proj(silu(emb))
///     default:      h = norm2(h + t)
///     scale_shift:  h = norm2(h) · (1 + t[:C]) + t[C:]
///     h = conv2(silu(h))
///     out = (shortcut(x) + h) / outputScaleFactor
///
/// `shortcut` is a 1x1 convolution when the channel count changes, the identity otherwise.
struct ResnetBlock2D: ParameterizedLayer, Sendable {
    let norm1: GroupNormLayer
    let conv1: Conv2DLayer
    let timeEmbeddingProjection: LinearLayer
    let norm2: GroupNormLayer
    let conv2: Conv2DLayer
    let convShortcut: Conv2DLayer?
    let timeScaleShift: UNet2DConfig.TimeScaleShift
    let outputScaleFactor: Float

    /// The block under prefix `name` (e.g. `down_blocks.0.resnets.1`).
    init(name: String, inChannels: Int, outChannels: Int, timeEmbeddingChannels: Int, groups: Int, epsilon: Float,
         timeScaleShift: UNet2DConfig.TimeScaleShift, outputScaleFactor: Float) {
        norm1 = GroupNormLayer(name: name + ".norm1", channels: inChannels, groups: groups, epsilon: epsilon)
        conv1 = Conv2DLayer(name: name + ".conv1", inChannels: inChannels, outChannels: outChannels, kernelSize: 3, padding: 1)
        let projected = timeScaleShift == .scaleShift ? 2 * outChannels : outChannels
        timeEmbeddingProjection = LinearLayer(name: name + ".time_emb_proj", inFeatures: timeEmbeddingChannels, outFeatures: projected)
        norm2 = GroupNormLayer(name: name + ".norm2", channels: outChannels, groups: groups, epsilon: epsilon)
        conv2 = Conv2DLayer(name: name + ".conv2", inChannels: outChannels, outChannels: outChannels, kernelSize: 3, padding: 1)
        convShortcut = inChannels == outChannels ? nil
            : Conv2DLayer(name: name + ".conv_shortcut", inChannels: inChannels, outChannels: outChannels, kernelSize: 1)
        self.timeScaleShift = timeScaleShift
        self.outputScaleFactor = outputScaleFactor
    }

    var outChannels: Int { conv2.outChannels }

    var groupNorms: [GroupNormLayer] { [norm1, norm2] }

    var parameterSpecs: [ParameterSpec] {
        let layers: [any ParameterizedLayer] = [norm1, conv1, timeEmbeddingProjection, norm2, conv2] + (convShortcut.map { [$0] } ?? [])
        return layers.flatMap(\.parameterSpecs)
    }

    var observedLayers: [ObservedLayer] {
        let layers: [any ParameterizedLayer] = [conv1, timeEmbeddingProjection, conv2] + (convShortcut.map { [$0] } ?? [])
        return layers.flatMap(\.observedLayers)
    }

    /// The block applied to `x` `[N, H, W, Cin]`, given `silu(emb)` `[N, E]`.
    func apply(_ x: Variable, activatedTimeEmbedding: Variable, _ parameters: ParameterBindings, on tape: Tape) -> Variable {
        var hidden = conv1.apply(tape.silu(norm1.apply(x, parameters, on: tape)), parameters, on: tape)
        let time = timeEmbeddingProjection.apply(activatedTimeEmbedding, parameters, on: tape)
        switch timeScaleShift {
        case .default:
            hidden = norm2.apply(tape.addPerChannel(hidden, time), parameters, on: tape)
        case .scaleShift:
            let scale = tape.sliceLastDim(time, 0..<outChannels)
            let shift = tape.sliceLastDim(time, outChannels..<(2 * outChannels))
            hidden = tape.scaleShiftPerChannel(norm2.apply(hidden, parameters, on: tape), scale: scale, shift: shift)
        }
        hidden = conv2.apply(tape.silu(hidden), parameters, on: tape)
        let shortcut = convShortcut?.apply(x, parameters, on: tape) ?? x
        return tape.rescaled(tape.add(shortcut, hidden), dividingBy: outputScaleFactor)
    }
}

import Numerics

/// diffusers' spatial self-attention `Attention(..., residual_connection=True, bias=True,
/// _from_deprecated_attn_block=True)` with the scaled-dot-product processor:
///
///     tokens = x as [N, H·W, C]              (token index h·W + w)
///     tokens = group_norm(tokens)            (when the block has one)
///     o = to_out.0(attention(to_q(tokens), to_k(tokens), to_v(tokens), heads))
///     out = (o as [N, H, W, C] + x) / rescaleOutputFactor
///
/// `heads = C / attentionHeadDim`; the projections map C to `heads · attentionHeadDim` channels.
struct AttentionBlock: ParameterizedLayer, Sendable {
    let groupNorm: GroupNormLayer?
    let toQuery: LinearLayer
    let toKey: LinearLayer
    let toValue: LinearLayer
    let toOut: LinearLayer
    let heads: Int
    let rescaleOutputFactor: Float

    /// The block under prefix `name` (e.g. `mid_block.attentions.0`); `groups` nil means no group norm.
    init(name: String, channels: Int, headDimension: Int, groups: Int?, epsilon: Float, rescaleOutputFactor: Float) {
        groupNorm = groups.map { GroupNormLayer(name: name + ".group_norm", channels: channels, groups: $0, epsilon: epsilon) }
        heads = channels / headDimension
        let inner = heads * headDimension
        toQuery = LinearLayer(name: name + ".to_q", inFeatures: channels, outFeatures: inner)
        toKey = LinearLayer(name: name + ".to_k", inFeatures: channels, outFeatures: inner)
        toValue = LinearLayer(name: name + ".to_v", inFeatures: channels, outFeatures: inner)
        toOut = LinearLayer(name: name + ".to_out.0", inFeatures: inner, outFeatures: channels)
        self.rescaleOutputFactor = rescaleOutputFactor
    }

    var parameterSpecs: [ParameterSpec] {
        (groupNorm?.parameterSpecs ?? []) + [toQuery, toKey, toValue, toOut].flatMap(\.parameterSpecs)
    }

    var observedLayers: [ObservedLayer] {
        [toQuery, toKey, toValue, toOut].flatMap(\.observedLayers)
    }

    /// The block applied to `x` `[N, H, W, C]`.
    func apply(_ x: Variable, _ parameters: ParameterBindings, on tape: Tape) -> Variable {
        let shape = tape.value(x).shape
        var tokens = tape.reshape(x, [shape[0], shape[1] * shape[2], shape[3]])
        if let groupNorm { tokens = groupNorm.apply(tokens, parameters, on: tape) }
        let attended = tape.attention(query: toQuery.apply(tokens, parameters, on: tape),
                                      key: toKey.apply(tokens, parameters, on: tape),
                                      value: toValue.apply(tokens, parameters, on: tape), heads: heads)
        let output = tape.reshape(toOut.apply(attended, parameters, on: tape), shape)
        return tape.rescaled(tape.add(output, x), dividingBy: rescaleOutputFactor)
    }
}

import Numerics

/// diffusers' `nn.GroupNorm(groups, channels, eps, affine=True)` under its parameter-name prefix.
struct GroupNormLayer: ParameterizedLayer, Sendable {
    let name: String
    let channels: Int
    let groups: Int
    let epsilon: Float

    var parameterSpecs: [ParameterSpec] {
        [
            ParameterSpec(name: name + ".weight", shape: [channels], initialization: .constant(1)),
            ParameterSpec(name: name + ".bias", shape: [channels], initialization: .constant(0)),
        ]
    }

    var observedLayers: [ObservedLayer] { [] }

    /// Normalises a channels-last `[N, ..., C]` input per example and channel group.
    func apply(_ x: Variable, _ parameters: ParameterBindings, on tape: Tape) -> Variable {
        tape.groupNorm(x, groups: groups, gamma: parameters[name + ".weight"], beta: parameters[name + ".bias"],
                       epsilon: epsilon)
    }
}

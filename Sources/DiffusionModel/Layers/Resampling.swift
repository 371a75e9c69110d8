import Numerics

/// diffusers' `Downsample2D(use_conv=True, name="op")`: a 3x3 stride-2 convolution
/// (`downsamplers.0.conv`). With `padding` 0 diffusers first pads one zero row at the bottom
/// and one zero column at the right.
struct Downsample2D: ParameterizedLayer, Sendable {
    let conv: Conv2DLayer

    init(name: String, channels: Int, padding: Int) {
        conv = Conv2DLayer(name: name + ".conv", inChannels: channels, outChannels: channels, kernelSize: 3, stride: 2, padding: padding)
    }

    var parameterSpecs: [ParameterSpec] { conv.parameterSpecs }
    var observedLayers: [ObservedLayer] { conv.observedLayers }

    /// `[N, H, W, C]` to about `[N, H/2, W/2, C]`.
    func apply(_ x: Variable, _ parameters: ParameterBindings, on tape: Tape) -> Variable {
        conv.apply(conv.padding == 0 ? tape.zeroPadBottomRight(x) : x, parameters, on: tape)
    }
}

/// diffusers' `Upsample2D(use_conv=True)`: nearest-neighbour 2x upsampling, then a 3x3
/// convolution (`upsamplers.0.conv`).
struct Upsample2D: ParameterizedLayer, Sendable {
    let conv: Conv2DLayer

    init(name: String, channels: Int) {
        conv = Conv2DLayer(name: name + ".conv", inChannels: channels, outChannels: channels, kernelSize: 3, padding: 1)
    }

    var parameterSpecs: [ParameterSpec] { conv.parameterSpecs }
    var observedLayers: [ObservedLayer] { conv.observedLayers }

    /// `[N, H, W, C]` to `[N, 2H, 2W, C]`.
    func apply(_ x: Variable, _ parameters: ParameterBindings, on tape: Tape) -> Variable {
        conv.apply(tape.upsampleNearest2x(x), parameters, on: tape)
    }
}

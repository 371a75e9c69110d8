import Numerics

/// diffusers' `nn.Conv2d` with a square kernel and bias, under its parameter-name prefix.
struct Conv2DLayer: ParameterizedLayer, Sendable {
    let name: String
    let inChannels: Int
    let outChannels: Int
    let kernelSize: Int
    var stride = 1
    var padding = 0

    /// Inputs each output reads: `Cin·kh·kw`.
    var fanIn: Int { inChannels * kernelSize * kernelSize }

    var parameterSpecs: [ParameterSpec] {
        ParameterSpec.weightAndBias(layer: name, weightShape: [outChannels, inChannels, kernelSize, kernelSize], fanIn: fanIn)
    }

    var observedLayers: [ObservedLayer] {
        [ObservedLayer(name: name, kind: .conv2d(kernelSize: kernelSize, stride: stride, padding: padding),
                       inputFeatures: fanIn, outputFeatures: outChannels, hasBias: true)]
    }

    /// The convolution of a `[N, H, W, Cin]` input, observed under the layer's name.
    func apply(_ x: Variable, _ parameters: ParameterBindings, on tape: Tape) -> Variable {
        tape.conv2d(x, weight: parameters[name + ".weight"], bias: parameters[name + ".bias"],
                    stride: stride, padding: padding, observeAs: name)
    }
}

import Numerics

/// diffusers' `nn.Linear(inFeatures, outFeatures)` with bias, under its parameter-name prefix.
struct LinearLayer: ParameterizedLayer, Sendable {
    let name: String
    let inFeatures: Int
    let outFeatures: Int

    var parameterSpecs: [ParameterSpec] {
        ParameterSpec.weightAndBias(layer: name, weightShape: [outFeatures, inFeatures], fanIn: inFeatures)
    }

    var observedLayers: [ObservedLayer] {
        [ObservedLayer(name: name, kind: .linear, inputFeatures: inFeatures, outputFeatures: outFeatures, hasBias: true)]
    }

    /// `x · Wᵀ + b` on the last dimension, observed under the layer's name.
    func apply(_ x: Variable, _ parameters: ParameterBindings, on tape: Tape) -> Variable {
        tape.linear(x, weight: parameters[name + ".weight"], bias: parameters[name + ".bias"], observeAs: name)
    }
}

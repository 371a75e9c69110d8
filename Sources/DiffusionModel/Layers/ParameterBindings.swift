import Numerics

/// The tape variables of a model's parameters, looked up by state-dict key during a forward pass.
struct ParameterBindings {
    let variables: [String: Variable]

    /// The variable of parameter `name`. A missing key is a programmer error: the bindings come
    /// from ``ParameterSet/record(on:requiringGradients:)`` of a set validated against the model.
    subscript(name: String) -> Variable {
        guard let variable = variables[name] else {
            preconditionFailure("no parameter \"\(name)\" was recorded for this forward pass")
        }
        return variable
    }
}

/// A module with parameters, as diffusers' `nn.Module` subtrees: it lists its parameters in
/// state-dict order and its Linear/Conv2d layers in call order.
protocol ParameterizedLayer {
    /// The parameters, in the order of diffusers' state dict.
    var parameterSpecs: [ParameterSpec] { get }
    /// The Linear and Conv2d layers, in the order the forward pass calls them.
    var observedLayers: [ObservedLayer] { get }
}

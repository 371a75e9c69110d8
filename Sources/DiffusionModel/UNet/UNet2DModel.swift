import Numerics

/// diffusers' `UNet2DModel`: the noise-prediction network of DDPM, with its parameters.
///
/// The model is a value: its config and parameters. The forward pass
/// (``forward(sample:timesteps:parameters:tape:)``) takes the parameters as tape variables, so
/// gradients with respect to them come from the tape, and it reports every Linear and Conv2d
/// layer (``observedLayers``) to the tape's layer observer under its diffusers name.
public struct UNet2DModel: Sendable {
    /// The architecture.
    public let config: UNet2DConfig
    /// The parameters, in diffusers' state-dict order, with keys and shapes matching ``config``.
    public let parameters: ParameterSet
    let architecture: UNet2DArchitecture

    /// A model from existing parameters, which must have exactly the keys and shapes the config
    /// implies (in any order; they are stored in state-dict order).
    public init(config: UNet2DConfig, parameters: ParameterSet) throws(UNet2DModelError) {
        let architecture = UNet2DArchitecture(config: config)
        let specs = architecture.parameterSpecs
        if let mismatch = ParameterMismatch(parameters: parameters, expected: specs) { throw .parameterMismatch(mismatch) }
        self.config = config
        self.architecture = architecture
        self.parameters = ParameterSet(specs.compactMap { spec in parameters[spec.name].map { (spec.name, $0) } })
    }

    /// A freshly initialised model, filled like PyTorch's default initialisation from `seed`
    /// (see ``ParameterSet/init(initializing:seed:)``).
    public init(config: UNet2DConfig, seed: UInt64) {
        self.config = config
        architecture = UNet2DArchitecture(config: config)
        parameters = ParameterSet(initializing: architecture.parameterSpecs, seed: seed)
    }

    /// The parameters a model with `config` has, in diffusers' state-dict order.
    public static func parameterSpecs(for config: UNet2DConfig) -> [ParameterSpec] {
        UNet2DArchitecture(config: config).parameterSpecs
    }

    /// The parameters this model has, in diffusers' state-dict order.
    public var parameterSpecs: [ParameterSpec] { architecture.parameterSpecs }

    /// The Linear and Conv2d layers, in the order the forward pass applies them; each reports
    /// to the tape's layer observer exactly once per backward pass.
    public var observedLayers: [ObservedLayer] { architecture.observedLayers }

    /// The predicted noise for a batch, as `UNet2DModel.forward(sample, timestep).sample`.
    ///
    /// - Parameters:
    ///   - sample: Noisy images `[N, H, W, in_channels]`, channels-last; H and W must be
    ///     multiples of ``UNet2DConfig/spatialSizeMultiple``.
    ///   - timesteps: One timestep per example, or one for the whole batch.
    ///   - parameters: Every parameter recorded on `tape` (``ParameterSet/record(on:requiringGradients:)``).
    ///   - tape: The tape the computation is recorded on.
    /// - Returns: `[N, H, W, out_channels]`.
    public func forward(sample: Variable, timesteps: [Float], parameters: [String: Variable], tape: Tape) -> Variable {
        let shape = tape.value(sample).shape
        precondition(shape.count == 4 && shape[3] == config.inChannels,
                     "UNet2DModel.forward: sample \(shape) is not [N, H, W, \(config.inChannels)]")
        let multiple = config.spatialSizeMultiple
        precondition(shape[1] % multiple == 0 && shape[2] % multiple == 0,
                     "UNet2DModel.forward: sample size \(shape[1])x\(shape[2]) is not a multiple of \(multiple)")
        precondition(timesteps.count == shape[0] || timesteps.count == 1,
                     "UNet2DModel.forward: \(timesteps.count) timesteps for \(shape[0]) examples")
        let perExample = timesteps.count == shape[0] ? timesteps : Array(repeating: timesteps[0], count: shape[0])
        return architecture.apply(sample: sample, timesteps: perExample, ParameterBindings(variables: parameters), on: tape)
    }
}

/// One parameter tensor a model expects: its name, its PyTorch shape and how PyTorch's default
/// initialisation fills it.
public struct ParameterSpec: Sendable, Equatable {
    /// How a freshly constructed PyTorch module fills a parameter.
    public enum Initialization: Sendable, Equatable {
        /// Uniform in `[-bound, bound)`: `nn.Conv2d` and `nn.Linear` weights
        /// (`kaiming_uniform_(a=√5)`) and biases both use `bound = 1/√fan_in`.
        case uniform(bound: Float)
        /// Every element equal to the value: `nn.GroupNorm` scale 1 and shift 0.
        case constant(Float)
    }

    /// The state-dict key.
    public let name: String
    /// The PyTorch shape.
    public let shape: [Int]
    /// The default initialisation.
    public let initialization: Initialization

    /// A specification; `shape` extents must be positive.
    public init(name: String, shape: [Int], initialization: Initialization) {
        precondition(shape.allSatisfy { $0 > 0 }, "parameter \(name) has non-positive extent in \(shape)")
        self.name = name
        self.shape = shape
        self.initialization = initialization
    }

    /// Number of scalars.
    public var scalarCount: Int { shape.reduce(1, *) }

    /// The weight and bias of a layer whose outputs each read `fanIn` inputs (`nn.Linear`,
    /// `nn.Conv2d`), under the layer's name prefix.
    static func weightAndBias(layer: String, weightShape: [Int], fanIn: Int) -> [ParameterSpec] {
        let bound = 1 / Float(fanIn).squareRoot()
        return [
            ParameterSpec(name: layer + ".weight", shape: weightShape, initialization: .uniform(bound: bound)),
            ParameterSpec(name: layer + ".bias", shape: [weightShape[0]], initialization: .uniform(bound: bound)),
        ]
    }
}

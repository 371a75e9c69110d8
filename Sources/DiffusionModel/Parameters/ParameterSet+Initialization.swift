import Numerics

extension ParameterSet {
    /// Keys that separate initialisation streams from every other use of a seed.
    private static let initializationStream: UInt64 = 0x1A17_5EED

    /// Fresh parameters for `specs`, filled like PyTorch's default initialisation (uniform
    /// weights and biases with bound `1/√fan_in`, GroupNorm scale 1 and shift 0).
    ///
    /// Parameter `i` draws from its own stream keyed by `(seed, i)`, so its values depend only
    /// on the seed and its position, not on the sizes of the parameters before it.
    public init(initializing specs: [ParameterSpec], seed: UInt64) {
        self.init()
        for (index, spec) in specs.enumerated() {
            switch spec.initialization {
            case .constant(let value):
                self[spec.name] = Tensor(shape: spec.shape, repeating: value)
            case .uniform(let bound):
                var generator = SeededGenerator(keys: Self.initializationStream, seed, UInt64(index))
                let scalars = (0..<spec.scalarCount).map { _ in bound * (2 * generator.nextUniform() - 1) }
                self[spec.name] = Tensor(shape: spec.shape, scalars: scalars)
            }
        }
    }
}

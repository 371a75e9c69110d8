/// A snapshot of every layer's curvature, built from a ``CurvatureAccumulator``: the Kronecker
/// eigenbasis and eigenvalues that turn query gradients into inverse-Hessian-vector products.
///
/// Per layer, `H ≈ S ⊗ A` on the row-major flat block `vec(G̃)` (the brief's `A ⊗ S` in the
/// column-major convention), with `A = Σ ã ãᵀ / (samples·T)` and `S = Σ g̃ g̃ᵀ / samples`.
/// `A = Q_A diag(λ_A) Q_Aᵀ` and `S = Q_S diag(λ_S) Q_Sᵀ` are eigendecomposed in Float64; the
/// eigenvalues `Λ` in the basis `Q_S ⊗ Q_A` depend on the ``Mode``.
public struct Curvature: Sendable {
    /// Which curvature approximation to use.
    public enum Mode: String, Sendable, Equatable, Codable, CaseIterable {
        /// EK-FAC: `Λ*_{jk} = E[(Q_Sᵀ G̃ Q_A)²_{jk}]`, from the per-sample second moment. Layers
        /// whose second moment is not tracked (`D` above the accumulator's limit) use K-FAC.
        case ekfac
        /// K-FAC: `Λ_{jk} = λ_S[j] · λ_A[k]`.
        case kfac
        /// No curvature: preconditioning returns its input (the gradient dot product).
        case identity
    }

    /// The `λ` added to every eigenvalue of a layer.
    public enum Damping: Sendable, Equatable, Codable {
        /// `λ = factor × mean(Λ)` of the layer, so damping tracks each layer's scale.
        case relative(Float)
        /// The same `λ` for every layer.
        case absolute(Float)

        /// The default: 10% of each layer's mean eigenvalue. A starting point, to be tuned by the
        /// linear-datamodelling-score benchmark's damping sweep.
        public static let standard = Damping.relative(0.1)
    }

    /// One layer's eigenbasis, eigenvalues and damping.
    public struct Layer: Sendable {
        /// The layer's name.
        public let name: String
        /// The approximation this layer uses: the requested mode, or `.kfac` when EK-FAC was
        /// requested but the layer's second moment is not tracked.
        public let mode: Mode
        /// The resolved damping `λ` (0 in identity mode, which does not damp).
        public let damping: Float
        /// `Λ`, `[kOut·kIn]` row-major like `G̃` (empty in identity mode).
        public let eigenvalues: [Float]
        /// `λ_A` ascending and `λ_S` ascending (empty in identity mode).
        public let inputFactorEigenvalues: [Float], outputFactorEigenvalues: [Float]
        let basis: KroneckerBasis<Float>?

        /// `Q_A`, `[kIn, kIn]` row-major, eigenvectors in columns (empty in identity mode).
        public var inputEigenvectors: [Float] { basis?.inputVectors ?? [] }
        /// `Q_S`, `[kOut, kOut]` row-major, eigenvectors in columns (empty in identity mode).
        public var outputEigenvectors: [Float] { basis?.outputVectors ?? [] }
    }

    /// The flat gradient layout the snapshot applies to.
    public let layout: GradientLayout
    /// The requested mode.
    public let mode: Mode
    /// The requested damping (`.absolute(0)` for identity curvature, which does not damp).
    public let damping: Damping
    /// Per-layer curvature, in layout order.
    public let layers: [Layer]

    /// Names of the layers that fell back from EK-FAC to K-FAC because their `D = kOut·kIn`
    /// exceeds the accumulator's second-moment limit.
    public var kfacFallbackLayers: [String] {
        mode == .ekfac ? layers.filter { $0.mode == .kfac }.map(\.name) : []
    }

    /// Builds the snapshot of `accumulator`'s current sums.
    ///
    /// - Throws: ``CurvatureError/noEvidence(layer:)`` when a layer has no samples (except in
    ///   identity mode), ``CurvatureError/eigendecompositionFailed(layer:info:)``, or
    ///   ``CurvatureError/nonPositiveDamping(layer:value:)`` when a layer's `λ` is not positive
    ///   (e.g. relative damping of a layer whose curvature is zero).
    public init(_ accumulator: CurvatureAccumulator, mode: Mode = .ekfac, damping: Damping = .standard) throws(CurvatureError) {
        if mode == .identity {
            self = .identity(layout: accumulator.layout)
            return
        }
        var layers: [Layer] = []
        for index in accumulator.layout.blocks.indices {
            layers.append(try Self.layer(index, of: accumulator, mode: mode, damping: damping))
        }
        self.init(layout: accumulator.layout, mode: mode, damping: damping, layers: layers)
    }

    /// The identity curvature over `layout`: preconditioning returns its input, undamped.
    public static func identity(layout: GradientLayout) -> Curvature {
        let layers = layout.blocks.map {
            Layer(name: $0.layer, mode: .identity, damping: 0, eigenvalues: [],
                  inputFactorEigenvalues: [], outputFactorEigenvalues: [], basis: nil)
        }
        return Curvature(layout: layout, mode: .identity, damping: .absolute(0), layers: layers)
    }

    private init(layout: GradientLayout, mode: Mode, damping: Damping, layers: [Layer]) {
        self.layout = layout
        self.mode = mode
        self.damping = damping
        self.layers = layers
    }

    private static func layer(_ index: Int, of accumulator: CurvatureAccumulator, mode: Mode,
                              damping: Damping) throws(CurvatureError) -> Layer {
        let block = accumulator.layout.blocks[index]
        guard let inputFactor = accumulator.inputFactor(layer: index),
              let outputFactor = accumulator.outputFactor(layer: index) else { throw .noEvidence(layer: block.layer) }
        let input = try decompose(inputFactor, size: block.projectedInputs, layer: block.layer)
        let output = try decompose(outputFactor, size: block.projectedOutputs, layer: block.layer)
        let basis = KroneckerBasis<Double>(outputs: block.projectedOutputs, inputs: block.projectedInputs,
                                           outputVectors: output.vectors, inputVectors: input.vectors)
        var applied = mode
        let eigenvalues: [Double]
        if mode == .ekfac, let moment = accumulator.secondMoment(layer: index) {
            eigenvalues = basis.diagonalInEigenbasis(of: moment).map { max($0, 0) }
        } else {
            applied = .kfac
            eigenvalues = output.values.flatMap { s in input.values.map { s * $0 } }
        }
        let lambda: Float
        switch damping {
        case .absolute(let value):
            lambda = value
        case .relative(let factor):
            let mean = eigenvalues.isEmpty ? 0 : eigenvalues.reduce(0, +) / Double(eigenvalues.count)
            lambda = Float(Double(factor) * mean)
        }
        guard lambda > 0, lambda.isFinite else { throw .nonPositiveDamping(layer: block.layer, value: lambda) }
        return Layer(
            name: block.layer, mode: applied, damping: lambda, eigenvalues: eigenvalues.map { Float($0) },
            inputFactorEigenvalues: input.values.map { Float($0) }, outputFactorEigenvalues: output.values.map { Float($0) },
            basis: KroneckerBasis<Float>(outputs: basis.outputs, inputs: basis.inputs,
                                         outputVectors: basis.outputVectors.map { Float($0) },
                                         inputVectors: basis.inputVectors.map { Float($0) }))
    }

    private static func decompose(_ matrix: [Double], size: Int, layer: String) throws(CurvatureError) -> SymmetricEigendecomposition {
        switch SymmetricEigendecomposition.decompose(matrix, size: size) {
        case .success(let decomposition): return decomposition
        case .failure(let failure): throw .eigendecompositionFailed(layer: layer, info: failure.info)
        }
    }
}

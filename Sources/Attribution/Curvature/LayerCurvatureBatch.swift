import Numerics

/// One batch's evidence about one layer's curvature, in projected space.
///
/// A *sample* is one back-propagated seed for one example (one MC-GGN draw); its rows are the
/// layer's applications for that example (positions or tokens), grouped contiguously.
public struct LayerCurvatureBatch: Sendable {
    /// Index into ``GradientLayout/blocks``.
    public let layer: Int
    /// `[samples·T, kIn]`: projected input rows, bias coordinate included.
    public let inputs: Tensor
    /// `[samples·T, kOut]`: projected output-gradient rows (from MC-GGN seeds).
    public let outputGradients: Tensor
    /// Number of samples; rows per sample `T = rows / samples`.
    public let samples: Int
    /// `[samples, kOut·kIn]`: each sample's projected gradient `G̃ = Σ_t g̃_t ã_tᵀ`, row-major.
    public let sampleGradients: Tensor

    /// A batch; shapes are checked when it is added to a ``CurvatureAccumulator``.
    public init(layer: Int, inputs: Tensor, outputGradients: Tensor, samples: Int, sampleGradients: Tensor) {
        self.layer = layer
        self.inputs = inputs
        self.outputGradients = outputGradients
        self.samples = samples
        self.sampleGradients = sampleGradients
    }
}

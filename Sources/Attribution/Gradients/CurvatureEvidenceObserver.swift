import Numerics

/// A layer observer that turns a backward pass from curvature seeds (MC-GGN or empirical-Fisher)
/// into one ``LayerCurvatureBatch`` per layer: the projected rows and each sample's projected
/// gradient `G̃ = Σ_t g̃_t ã_tᵀ`, handed to `handler` as soon as the layer is seen, so only one
/// layer's rows are alive at a time.
public final class CurvatureEvidenceObserver: LayerObserver {
    /// The projection applied to every layer's rows.
    public let projection: KroneckerProjection
    private let handler: (LayerCurvatureBatch) -> Void
    private var visits: LayerVisits

    /// An observer that passes every layer's batch to `handler`.
    public init(projection: KroneckerProjection, handler: @escaping (LayerCurvatureBatch) -> Void) {
        self.projection = projection
        self.handler = handler
        visits = LayerVisits(layout: projection.layout)
    }

    /// Projects the layer's rows, forms per-sample gradients and hands the batch on.
    public func observe(layer: String, inputs: Tensor, outputGradients: Tensor, examples: Int, hasBias: Bool) {
        let index = visits.visit(layer)
        let block = projection.layout.blocks[index]
        let projectedInputs = projection.projectInputs(inputs, layer: index)
        let projectedGradients = projection.projectOutputGradients(outputGradients, layer: index)
        let rowsPerSample = examples == 0 ? 0 : inputs.shape[0] / examples
        var sampleGradients = Tensor(shape: [examples, block.count])
        let groups = (0..<examples).map { GroupedOuterProducts.Group(samples: $0..<($0 + 1), destinationOffset: $0 * block.count) }
        GroupedOuterProducts.accumulate(outputGradients: projectedGradients, inputs: projectedInputs,
                                        rowsPerSample: rowsPerSample, groups: groups, into: &sampleGradients.scalars)
        handler(LayerCurvatureBatch(layer: index, inputs: projectedInputs, outputGradients: projectedGradients,
                                    samples: examples, sampleGradients: sampleGradients))
    }

    /// Checks that the pass just finished reported every layer exactly once.
    public func finishPass() {
        visits.finishPass()
    }
}

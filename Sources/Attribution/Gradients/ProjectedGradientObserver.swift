import Numerics

/// A layer observer that turns each backward pass into projected per-group gradients: a group is
/// `samplesPerGroup` consecutive samples (for training gradients one example's draws, so the
/// draws' gradients add up), and its flat vector holds every layer's
/// `G̃ = Σ_rows (P_out g)(P_in a)ᵀ` at that layer's ``GradientLayout/Block/offset``.
///
/// Samples may be spread over several backward passes (batches of copies): set ``firstSample``
/// to the index of the pass's first sample before each pass, and call ``finishPass()`` after it.
/// Gradients accumulate, so a group split between two passes receives both parts.
public final class ProjectedGradientObserver: LayerObserver {
    /// The projection applied to every layer's rows.
    public let projection: KroneckerProjection
    /// Consecutive samples summed into one vector.
    public let samplesPerGroup: Int
    /// `[groups, layout.dimension]`: the accumulated projected gradient of every group.
    public private(set) var gradients: Tensor
    /// Index of the first sample of the current backward pass among all samples of all passes.
    public var firstSample = 0
    private var visits: LayerVisits

    /// An observer for `groups` groups of `samplesPerGroup` samples each, starting at zero.
    public init(projection: KroneckerProjection, groups: Int, samplesPerGroup: Int) {
        precondition(groups >= 0 && samplesPerGroup > 0, "observer for \(groups) groups of \(samplesPerGroup) samples")
        self.projection = projection
        self.samplesPerGroup = samplesPerGroup
        gradients = Tensor(shape: [groups, projection.layout.dimension])
        visits = LayerVisits(layout: projection.layout)
    }

    /// Projects the layer's rows and adds each group's share to its vector.
    public func observe(layer: String, inputs: Tensor, outputGradients: Tensor, examples: Int, hasBias: Bool) {
        let index = visits.visit(layer)
        let block = projection.layout.blocks[index]
        let projectedInputs = projection.projectInputs(inputs, layer: index)
        let projectedGradients = projection.projectOutputGradients(outputGradients, layer: index)
        let rowsPerSample = examples == 0 ? 0 : inputs.shape[0] / examples
        let dimension = projection.layout.dimension
        let groupCount = gradients.shape[0]
        precondition(firstSample >= 0 && firstSample + examples <= groupCount * samplesPerGroup,
                     "samples \(firstSample)..<\(firstSample + examples) exceed \(groupCount) groups of \(samplesPerGroup)")

        var groups: [GroupedOuterProducts.Group] = []
        var sample = firstSample
        while sample < firstSample + examples {
            let group = sample / samplesPerGroup
            let end = min((group + 1) * samplesPerGroup, firstSample + examples)
            groups.append(.init(samples: (sample - firstSample)..<(end - firstSample),
                                destinationOffset: group * dimension + block.offset))
            sample = end
        }
        GroupedOuterProducts.accumulate(outputGradients: projectedGradients, inputs: projectedInputs,
                                        rowsPerSample: rowsPerSample, groups: groups, into: &gradients.scalars)
    }

    /// Checks that the pass just finished reported every layer exactly once.
    public func finishPass() {
        visits.finishPass()
    }
}

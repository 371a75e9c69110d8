extension Tape {
    /// A fully connected layer on the last dimension: `y = x · Wᵀ + b` (PyTorch's `nn.Linear`).
    ///
    /// - Parameters:
    ///   - x: `[..., dIn]`; every leading position is one input row.
    ///   - weight: `[dOut, dIn]`.
    ///   - bias: `[dOut]`, or `nil` for a layer without bias.
    ///   - observeAs: The layer's parameter-name prefix; when set, the backward pass reports the
    ///     input rows `[rows, dIn]` and output-gradient rows `[rows, dOut]` to ``layerObserver``,
    ///     with `examples` = the leading extent of `x` (1 for a rank-1 `x`).
    /// - Returns: `[..., dOut]`.
    public func linear(_ x: Variable, weight: Variable, bias: Variable?, observeAs layer: String? = nil) -> Variable {
        let input = value(x)
        let weightValue = value(weight)
        precondition(weightValue.rank == 2 && input.rank >= 1 && input.shape.last == weightValue.shape[1],
                     "linear: input \(input.shape) does not match weight \(weightValue.shape)")
        let (outer, inner) = (weightValue.shape[0], weightValue.shape[1])
        let rows = inner == 0 ? 0 : input.count / inner
        let inputRows = input.reshaped([rows, inner])
        let output = AffineRows.forward(inputs: inputRows, weight: weightValue, bias: bias.map(value))

        let examples = input.rank >= 2 ? input.shape[0] : 1
        let needsInput = requiresGradient(x)
        let needsWeight = requiresGradient(weight)
        let needsBias = bias.map(requiresGradient) ?? false
        let operands = [x, weight] + (bias.map { [$0] } ?? [])
        return record(output.reshaped(Array(input.shape.dropLast()) + [outer]), operands: operands) { [weak self] gradient in
            let gradientRows = gradient.reshaped([rows, outer])
            if let layer, let observer = self?.layerObserver {
                observer.observe(layer: layer, inputs: inputRows, outputGradients: gradientRows,
                                 examples: examples, hasBias: bias != nil)
            }
            var contributions: [(Variable, Tensor)] = []
            if needsInput {
                let inputGradient = AffineRows.inputGradient(outputGradient: gradientRows, weight: weightValue)
                contributions.append((x, inputGradient.reshaped(input.shape)))
            }
            if needsWeight {
                contributions.append((weight, AffineRows.weightGradient(outputGradient: gradientRows, inputs: inputRows)))
            }
            if needsBias, let bias {
                contributions.append((bias, AffineRows.biasGradient(outputGradient: gradientRows)))
            }
            return contributions
        }
    }
}

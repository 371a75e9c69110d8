extension Tape {
    /// A 2-D convolution over channels-last input with zero padding (PyTorch's `nn.Conv2d`).
    ///
    /// Computed as GEMMs of the im2col patch matrix `[N·Ho·Wo, kh·kw·Cin]` (tap-major, see
    /// ``ConvolutionGeometry``) with the weight permuted to match. The patch matrix is built chunk
    /// by chunk and rebuilt in the backward pass rather than kept, so training holds each layer's
    /// input, not `kh·kw` copies of it; only an observed backward pass materialises it whole, in
    /// PyTorch's `(Cin, kh, kw)` order, to hand it to the observer.
    ///
    /// - Parameters:
    ///   - x: `[N, H, W, Cin]`.
    ///   - weight: `[Cout, Cin, kh, kw]` (PyTorch layout).
    ///   - bias: `[Cout]`, or `nil`.
    ///   - stride: Step between output positions, in both directions.
    ///   - padding: Zeros added on every side, in both directions.
    ///   - observeAs: The layer's parameter-name prefix; when set, the backward pass reports the
    ///     patch rows `[N·Ho·Wo, Cin·kh·kw]` and output-gradient rows `[N·Ho·Wo, Cout]` to
    ///     ``layerObserver``, with `examples` = N.
    /// - Returns: `[N, Ho, Wo, Cout]` with `Ho = (H + 2·padding − kh) / stride + 1` (likewise `Wo`).
    public func conv2d(
        _ x: Variable, weight: Variable, bias: Variable?, stride: Int = 1, padding: Int = 0,
        observeAs layer: String? = nil
    ) -> Variable {
        conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding, observeAs: layer,
               chunkElements: ConvolutionGeometry.defaultChunkElements)
    }

    /// ``conv2d(_:weight:bias:stride:padding:observeAs:)`` with patch chunks of about
    /// `chunkElements` elements (tests use tiny chunks to exercise chunk boundaries).
    func conv2d(
        _ x: Variable, weight: Variable, bias: Variable?, stride: Int, padding: Int,
        observeAs layer: String?, chunkElements: Int
    ) -> Variable {
        let input = value(x)
        let weightValue = value(weight)
        precondition(weightValue.rank == 4 && input.rank == 4 && weightValue.shape[1] == input.shape[3],
                     "conv2d: input \(input.shape) does not match weight \(weightValue.shape)")
        let geometry = ConvolutionGeometry(input: input.shape, kernelHeight: weightValue.shape[2],
                                           kernelWidth: weightValue.shape[3], stride: stride, padding: padding,
                                           chunkElements: chunkElements)
        let outChannels = weightValue.shape[0]
        let weightRows = geometry.tapMajorWeight(weightValue)
        let output = ConvolutionGEMM.forward(input, geometry: geometry, weight: weightRows, bias: bias.map(value))

        let needsInput = requiresGradient(x)
        let needsWeight = requiresGradient(weight)
        let needsBias = bias.map(requiresGradient) ?? false
        let operands = [x, weight] + (bias.map { [$0] } ?? [])
        let outputShape = geometry.outputShape(outChannels: outChannels)
        return record(output.reshaped(outputShape), operands: operands) { [weak self] gradient in
            let gradientRows = gradient.reshaped([geometry.rows, outChannels])
            var contributions: [(Variable, Tensor)] = []
            var observedWeightGradient: Tensor?
            if let layer, let observer = self?.layerObserver {
                // The observer needs the whole patch matrix, which then also gives dW in one GEMM.
                let patches = geometry.im2col(input)
                observer.observe(layer: layer, inputs: patches, outputGradients: gradientRows,
                                 examples: geometry.batch, hasBias: bias != nil)
                if needsWeight {
                    observedWeightGradient = AffineRows.weightGradient(outputGradient: gradientRows, inputs: patches)
                        .reshaped(weightValue.shape)
                }
            }
            let gradients = ConvolutionGEMM.backward(
                gradient, input: input, geometry: geometry, weight: weightValue, tapMajorWeight: weightRows,
                needsInput: needsInput, needsWeight: needsWeight && observedWeightGradient == nil)
            if let weightGradient = observedWeightGradient ?? gradients.weight {
                contributions.append((weight, weightGradient))
            }
            if let inputGradient = gradients.input { contributions.append((x, inputGradient)) }
            if needsBias, let bias {
                contributions.append((bias, AffineRows.biasGradient(outputGradient: gradientRows)))
            }
            return contributions
        }
    }
}

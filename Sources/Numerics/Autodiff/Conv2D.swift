extension Tape {
    /// A 2-D convolution over channels-last input with zero padding (PyTorch's `nn.Conv2d`).
    ///
    /// Computed as GEMMs of the im2col patch matrix `[N·Ho·Wo, Cin·kh·kw]` with the weight viewed
    /// as `[Cout, Cin·kh·kw]`. The patch matrix is built chunk by chunk and rebuilt in the
    /// backward pass rather than kept, so training holds each layer's input, not `kh·kw` copies
    /// of it; only an observed backward pass materialises it whole, to hand it to the observer.
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
        let weightRows = weightValue.reshaped([outChannels, geometry.patchSize])
        let output = ConvolutionGEMM.forward(input, geometry: geometry, weight: weightRows, bias: bias.map(value))

        let needsInput = requiresGradient(x)
        let needsWeight = requiresGradient(weight)
        let needsBias = bias.map(requiresGradient) ?? false
        let operands = [x, weight] + (bias.map { [$0] } ?? [])
        let outputShape = geometry.outputShape(outChannels: outChannels)
        return record(output.reshaped(outputShape), operands: operands) { [weak self] gradient in
            let gradientRows = gradient.reshaped([geometry.rows, outChannels])
            var contributions: [(Variable, Tensor)] = []
            if let layer, let observer = self?.layerObserver {
                // The observer needs the whole patch matrix, which then also gives dW in one GEMM.
                let patches = geometry.im2col(input)
                observer.observe(layer: layer, inputs: patches, outputGradients: gradientRows,
                                 examples: geometry.batch, hasBias: bias != nil)
                if needsWeight {
                    let weightGradient = AffineRows.weightGradient(outputGradient: gradientRows, inputs: patches)
                    contributions.append((weight, weightGradient.reshaped(weightValue.shape)))
                }
            } else if needsWeight {
                let weightGradient = ConvolutionGEMM.weightGradient(gradientRows, input: input, geometry: geometry)
                contributions.append((weight, weightGradient.reshaped(weightValue.shape)))
            }
            if needsInput {
                let inputGradient = ConvolutionGEMM.inputGradient(gradientRows, geometry: geometry, weight: weightRows)
                contributions.append((x, inputGradient))
            }
            if needsBias, let bias {
                contributions.append((bias, AffineRows.biasGradient(outputGradient: gradientRows)))
            }
            return contributions
        }
    }
}

/// The convolution's GEMMs, each run chunk by chunk over the patch rows.
private enum ConvolutionGEMM {
    /// `patches · Wᵀ + b` as `[rows, Cout]`, for a `[Cout, patchSize]` weight.
    static func forward(_ input: Tensor, geometry: ConvolutionGeometry, weight: Tensor, bias: Tensor?) -> Tensor {
        let (inner, outer) = (geometry.patchSize, weight.shape[0])
        var output = Tensor(shape: [geometry.rows, outer])
        if let bias {
            precondition(bias.shape == [outer], "conv2d bias \(bias.shape) does not match \(outer) filters")
            output.scalars.withUnsafeMutableBufferPointer { out in
                for row in 0..<geometry.rows {
                    (out.baseAddress! + row * outer).update(from: bias.scalars, count: outer)
                }
            }
        }
        weight.scalars.withUnsafeBufferPointer { w in
            output.scalars.withUnsafeMutableBufferPointer { out in
                geometry.forEachPatchChunk(of: input) { rows, patches in
                    sgemm(.none, .transposed, m: rows.count, n: outer, k: inner, a: patches, lda: inner,
                          b: w.baseAddress!, ldb: inner, beta: bias == nil ? 0 : 1,
                          c: out.baseAddress! + rows.lowerBound * outer, ldc: outer)
                }
            }
        }
        return output
    }

    /// `dYᵀ · patches` as `[Cout, patchSize]`, accumulated over chunks.
    static func weightGradient(_ gradientRows: Tensor, input: Tensor, geometry: ConvolutionGeometry) -> Tensor {
        let (inner, outer) = (geometry.patchSize, gradientRows.shape[1])
        var gradient = Tensor(shape: [outer, inner])
        gradientRows.scalars.withUnsafeBufferPointer { dy in
            gradient.scalars.withUnsafeMutableBufferPointer { dw in
                geometry.forEachPatchChunk(of: input) { rows, patches in
                    sgemm(.transposed, .none, m: outer, n: inner, k: rows.count,
                          a: dy.baseAddress! + rows.lowerBound * outer, lda: outer, b: patches, ldb: inner,
                          beta: rows.lowerBound == 0 ? 0 : 1, c: dw.baseAddress!, ldc: inner)
                }
            }
        }
        return gradient
    }

    /// `col2im(dY · W)`: the `[N, H, W, Cin]` input gradient.
    static func inputGradient(_ gradientRows: Tensor, geometry: ConvolutionGeometry, weight: Tensor) -> Tensor {
        let (inner, outer) = (geometry.patchSize, weight.shape[0])
        return gradientRows.scalars.withUnsafeBufferPointer { dy in
            weight.scalars.withUnsafeBufferPointer { w in
                geometry.inputGradient { rows, patchGradient in
                    sgemm(.none, .none, m: rows.count, n: inner, k: outer,
                          a: dy.baseAddress! + rows.lowerBound * outer, lda: outer, b: w.baseAddress!, ldb: inner,
                          c: patchGradient, ldc: inner)
                }
            }
        }
    }
}

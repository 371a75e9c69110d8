/// The GEMMs of a convolution, each run chunk by chunk over patch rows (see ``ConvolutionGeometry``).
enum ConvolutionGEMM {
    /// `patches · Wᵀ + b` as `[rows, Cout]`, for a tap-major `[Cout, patchSize]` weight.
    static func forward(_ input: Tensor, geometry: ConvolutionGeometry, weight: Tensor, bias: Tensor?) -> Tensor {
        let (inner, outer) = (geometry.patchSize, weight.shape[0])
        if let bias { precondition(bias.shape == [outer], "conv2d bias \(bias.shape) does not match \(outer) filters") }
        // Every element is then written: accumulated onto the bias rows, or by GEMMs with beta 0.
        var output = bias.map { Tensor(repeatingRow: $0, count: geometry.rows) }
            ?? Tensor(shape: [geometry.rows, outer], unsafeUninitializedScalarsWith: { _ in })
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

    /// The gradients of the input `[N, H, W, Cin]` and of the `[Cout, Cin, kh, kw]` weight, each
    /// only if needed, for the `[N, Ho, Wo, Cout]` output gradient. `tapMajorWeight` is the
    /// weight as the forward pass multiplied it.
    static func backward(
        _ gradient: Tensor, input: Tensor, geometry: ConvolutionGeometry, weight: Tensor, tapMajorWeight: Tensor,
        needsInput: Bool, needsWeight: Bool
    ) -> (input: Tensor?, weight: Tensor?) {
        guard needsInput || needsWeight else { return (nil, nil) }
        // Without the input gradient, the weight gradient alone comes from whichever patches are
        // smaller: the output gradient's (Cout wide) or the input's (Cin wide, e.g. a first layer
        // on RGB images).
        if let transposed = geometry.inputGradientGeometry(outChannels: weight.shape[0]),
           needsInput || transposed.patchSize <= geometry.patchSize {
            return backwardFromGradientPatches(gradient, input: input, geometry: geometry, transposed: transposed,
                                               weight: weight, needsInput: needsInput, needsWeight: needsWeight)
        }
        let gradientRows = gradient.reshaped([geometry.rows, weight.shape[0]])
        return (needsInput ? inputGradientByScatter(gradientRows, geometry: geometry, tapMajorWeight: tapMajorWeight) : nil,
                needsWeight ? weightGradient(gradientRows, input: input, geometry: geometry) : nil)
    }

    /// Both gradients of a stride-1 convolution from one pass over the patches `P'` of the output
    /// gradient under `transposed` (``ConvolutionGeometry/inputGradientGeometry(outChannels:)``),
    /// whose rows are the input pixels: `dX = P' · W'ᵀ`, and `dW' = Xᵀ · P'` in the same flipped
    /// layout as `W'`, because `dW[o, c, t] = Σ_pixels X[pixel, c] · dY[pixel − offset(t), o]`.
    /// The input's own patches are never built.
    private static func backwardFromGradientPatches(
        _ gradient: Tensor, input: Tensor, geometry: ConvolutionGeometry, transposed: ConvolutionGeometry,
        weight: Tensor, needsInput: Bool, needsWeight: Bool
    ) -> (input: Tensor?, weight: Tensor?) {
        let (inner, inChannels) = (transposed.patchSize, geometry.inChannels)
        let flippedWeight = geometry.inputGradientWeight(weight)
        // Written whole, chunk by chunk, by GEMMs with beta 0 (the weight gradient accumulates
        // onto its first chunk's product).
        var inputGradient = Tensor(shape: needsInput ? input.shape : [0], unsafeUninitializedScalarsWith: { _ in })
        var flippedWeightGradient = Tensor(shape: needsWeight ? [inChannels, inner] : [0])
        input.scalars.withUnsafeBufferPointer { x in
            flippedWeight.scalars.withUnsafeBufferPointer { w in
                inputGradient.scalars.withUnsafeMutableBufferPointer { dx in
                    flippedWeightGradient.scalars.withUnsafeMutableBufferPointer { dw in
                        transposed.forEachPatchChunk(of: gradient) { rows, patches in
                            if needsInput {
                                sgemm(.none, .transposed, m: rows.count, n: inChannels, k: inner, a: patches, lda: inner,
                                      b: w.baseAddress!, ldb: inner, c: dx.baseAddress! + rows.lowerBound * inChannels,
                                      ldc: inChannels)
                            }
                            if needsWeight {
                                sgemm(.transposed, .none, m: inChannels, n: inner, k: rows.count,
                                      a: x.baseAddress! + rows.lowerBound * inChannels, lda: inChannels,
                                      b: patches, ldb: inner, beta: rows.lowerBound == 0 ? 0 : 1,
                                      c: dw.baseAddress!, ldc: inner)
                            }
                        }
                    }
                }
            }
        }
        return (needsInput ? inputGradient : nil,
                needsWeight ? geometry.pyTorchOrderWeight(fromInputGradientLayout: flippedWeightGradient) : nil)
    }

    /// `dYᵀ · patches` in PyTorch's `[Cout, Cin, kh, kw]` layout, accumulated over chunks of the
    /// input's tap-major patches.
    private static func weightGradient(_ gradientRows: Tensor, input: Tensor, geometry: ConvolutionGeometry) -> Tensor {
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
        return geometry.pyTorchOrderWeight(gradient)
    }

    /// `col2im(dY · W)`: the `[N, H, W, Cin]` input gradient, for a tap-major `[Cout, patchSize]` weight.
    private static func inputGradientByScatter(_ gradientRows: Tensor, geometry: ConvolutionGeometry,
                                               tapMajorWeight: Tensor) -> Tensor {
        let (inner, outer) = (geometry.patchSize, tapMajorWeight.shape[0])
        return gradientRows.scalars.withUnsafeBufferPointer { dy in
            tapMajorWeight.scalars.withUnsafeBufferPointer { w in
                geometry.inputGradientByScatter { rows, patchGradient in
                    sgemm(.none, .none, m: rows.count, n: inner, k: outer,
                          a: dy.baseAddress! + rows.lowerBound * outer, lda: outer, b: w.baseAddress!, ldb: inner,
                          c: patchGradient, ldc: inner)
                }
            }
        }
    }
}

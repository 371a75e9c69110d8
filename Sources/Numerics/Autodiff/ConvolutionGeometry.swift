/// The index arithmetic of a zero-padded, strided 2-D convolution over channels-last input, and
/// the im2col/col2im transforms that turn it into GEMMs.
///
/// The GEMMs use patches in tap-major column order `(kh, kw, Cin)`: with channels-last input each
/// kernel row of a patch is then one contiguous run of `kw·Cin` input floats (for any stride,
/// since the taps of one kernel row read neighbouring pixels), so gathering and scatter-adding
/// patches are block copies and vector adds (see ConvolutionPatches.swift). The weight is
/// permuted to match (``tapMajorWeight(_:)``). Observers get PyTorch's `(Cin, kh, kw)` order
/// (``im2col(_:)``), the order of the weight `[Cout, Cin, kh, kw]` and of the K-FAC inputs.
///
/// Without an observer the patch matrix is never materialised whole: it is built and consumed in
/// chunks of rows (``forEachPatchChunk(of:_:)``) in one reused buffer. A whole patch matrix is
/// `kh·kw` times the input and, freshly allocated per layer, costs more in page faults than the
/// GEMM costs in arithmetic.
///
/// The input gradient of a stride-1 convolution is itself such a convolution (of the output
/// gradient, see ``inputGradientGeometry(outChannels:)``); strided convolutions scatter-add
/// patch gradients instead (``inputGradientByScatter(_:)``).
struct ConvolutionGeometry {
    let batch, height, width, inChannels: Int
    let kernelHeight, kernelWidth, stride, padding: Int
    let outHeight, outWidth: Int
    /// Patch elements per chunk requested at creation.
    let chunkElements: Int
    /// Rows per chunk: about `chunkElements` patch elements, at least one row.
    let chunkRows: Int

    /// Patch elements per chunk: 1 MiB, large enough for efficient (and multi-threaded) GEMMs
    /// and small enough to stay in cache between being gathered and being packed by the GEMM
    /// (measured on the demo model: a few percent faster per training step than 4 MiB chunks,
    /// about 8 % faster than 256 KiB ones).
    static let defaultChunkElements = 1 << 18

    init(input shape: [Int], kernelHeight: Int, kernelWidth: Int, stride: Int, padding: Int, chunkElements: Int) {
        precondition(shape.count == 4, "conv2d input must be [N, H, W, C], got \(shape)")
        precondition(stride >= 1 && padding >= 0, "conv2d stride \(stride), padding \(padding)")
        precondition(shape[3] >= 1 && kernelHeight >= 1 && kernelWidth >= 1,
                     "conv2d needs input channels and a kernel, got input \(shape), kernel \(kernelHeight)x\(kernelWidth)")
        (batch, height, width, inChannels) = (shape[0], shape[1], shape[2], shape[3])
        (self.kernelHeight, self.kernelWidth, self.stride, self.padding) = (kernelHeight, kernelWidth, stride, padding)
        precondition(height + 2 * padding >= kernelHeight && width + 2 * padding >= kernelWidth,
                     "conv2d kernel \(kernelHeight)x\(kernelWidth) larger than padded input \(shape)")
        outHeight = (height + 2 * padding - kernelHeight) / stride + 1
        outWidth = (width + 2 * padding - kernelWidth) / stride + 1
        self.chunkElements = chunkElements
        chunkRows = max(1, chunkElements / (inChannels * kernelHeight * kernelWidth))
    }

    /// Output positions over the whole batch: the row count of the GEMM.
    var rows: Int { batch * outHeight * outWidth }
    /// Elements of one patch: the inner dimension of the GEMM.
    var patchSize: Int { inChannels * taps }
    /// Kernel positions.
    var taps: Int { kernelHeight * kernelWidth }
    /// A 1x1, stride-1, unpadded convolution, whose patches are the input pixels themselves.
    var isPointwise: Bool { kernelHeight == 1 && kernelWidth == 1 && stride == 1 && padding == 0 }
    /// Shape of the convolution's output for `outChannels` filters.
    func outputShape(outChannels: Int) -> [Int] { [batch, outHeight, outWidth, outChannels] }

    /// A `[Cout, Cin, kh, kw]` weight as the `[Cout, kh·kw·Cin]` matrix that multiplies tap-major patches.
    func tapMajorWeight(_ weight: Tensor) -> Tensor {
        Self.transposeInnerBlocks(weight, blocks: weight.shape[0], rows: inChannels, columns: taps)
            .reshaped([weight.shape[0], patchSize])
    }

    /// The inverse of ``tapMajorWeight(_:)``: a `[Cout, kh·kw·Cin]` matrix (e.g. a weight
    /// gradient computed from tap-major patches) in PyTorch's `[Cout, Cin, kh, kw]` layout.
    func pyTorchOrderWeight(_ tapMajor: Tensor) -> Tensor {
        let outChannels = tapMajor.shape[0]
        return Self.transposeInnerBlocks(tapMajor, blocks: outChannels, rows: taps, columns: inChannels)
            .reshaped([outChannels, inChannels, kernelHeight, kernelWidth])
    }

    /// For a stride-1 convolution with a square kernel and `padding < k`, the convolution whose
    /// output is this one's input gradient: over the `[N, Ho, Wo, Cout]` output gradient, with
    /// the same kernel size and padding `k − 1 − padding`, and the weight
    /// ``inputGradientWeight(_:)``. It gathers where col2im would scatter-add. `nil` otherwise.
    func inputGradientGeometry(outChannels: Int) -> ConvolutionGeometry? {
        guard stride == 1, kernelHeight == kernelWidth, padding < kernelHeight else { return nil }
        return ConvolutionGeometry(input: [batch, outHeight, outWidth, outChannels], kernelHeight: kernelHeight,
                                   kernelWidth: kernelWidth, stride: 1, padding: kernelHeight - 1 - padding,
                                   chunkElements: chunkElements)
    }

    /// The tap-major `[Cin, kh·kw·Cout]` weight of ``inputGradientGeometry(outChannels:)`` for a
    /// `[Cout, Cin, kh, kw]` weight: input and output channels swapped, the kernel rotated by
    /// 180° (tap `t` becomes tap `kh·kw − 1 − t`).
    func inputGradientWeight(_ weight: Tensor) -> Tensor {
        let outChannels = weight.shape[0]
        return Tensor(shape: [inChannels, taps * outChannels]) { destination in
            weight.scalars.withUnsafeBufferPointer { source in
                for output in 0..<outChannels {
                    for input in 0..<inChannels {
                        for tap in 0..<taps {
                            destination[(input * taps + taps - 1 - tap) * outChannels + output] =
                                source[(output * inChannels + input) * taps + tap]
                        }
                    }
                }
            }
        }
    }

    /// The inverse of ``inputGradientWeight(_:)``: a `[Cin, kh·kw·Cout]` matrix in that layout
    /// (e.g. a weight gradient computed from output-gradient patches) in PyTorch's
    /// `[Cout, Cin, kh, kw]` layout.
    func pyTorchOrderWeight(fromInputGradientLayout matrix: Tensor) -> Tensor {
        let outChannels = matrix.shape[1] / taps
        return Tensor(shape: [outChannels, inChannels, kernelHeight, kernelWidth]) { destination in
            matrix.scalars.withUnsafeBufferPointer { source in
                for output in 0..<outChannels {
                    for input in 0..<inChannels {
                        for tap in 0..<taps {
                            destination[(output * inChannels + input) * taps + tap] =
                                source[(input * taps + taps - 1 - tap) * outChannels + output]
                        }
                    }
                }
            }
        }
    }

    /// The whole `[rows, patchSize]` patch matrix of a `[N, H, W, Cin]` input in PyTorch's
    /// `(Cin, kh, kw)` column order (zeros where padded), as observers receive it.
    func im2col(_ input: Tensor) -> Tensor {
        if isPointwise || rows == 0 { return input.reshaped([rows, patchSize]) }
        let tapMajor = Tensor(shape: [rows, patchSize]) { patches in
            input.scalars.withUnsafeBufferPointer { x in
                fillPatches(from: x.baseAddress!, rows: 0..<rows, into: patches.baseAddress!)
            }
        }
        return Self.transposeInnerBlocks(tapMajor, blocks: rows, rows: taps, columns: inChannels)
            .reshaped([rows, patchSize])
    }

    /// Calls `body(rows, patches)` for consecutive row ranges covering all rows, with `patches`
    /// pointing at that range's tap-major `[rows.count, patchSize]` patch matrix (valid during
    /// the call).
    func forEachPatchChunk(of input: Tensor, _ body: (Range<Int>, UnsafePointer<Float>) -> Void) {
        guard rows > 0 else { return }
        input.scalars.withUnsafeBufferPointer { x in
            if isPointwise { return body(0..<rows, x.baseAddress!) }
            let chunk = UnsafeMutablePointer<Float>.allocate(capacity: min(rows, chunkRows) * patchSize)
            defer { chunk.deallocate() }
            for start in Swift.stride(from: 0, to: rows, by: chunkRows) {
                let range = start..<min(rows, start + chunkRows)
                fillPatches(from: x.baseAddress!, rows: range, into: chunk)
                body(range, chunk)
            }
        }
    }

    /// The gradient of the `[N, H, W, Cin]` input, given a producer that writes the tap-major
    /// patch gradient of a row range into a `[rows.count, patchSize]` buffer (every element);
    /// chunk by chunk, each patch gradient is scatter-added onto the pixels it was gathered from.
    func inputGradientByScatter(_ patchGradient: (Range<Int>, UnsafeMutablePointer<Float>) -> Void) -> Tensor {
        var image = Tensor(shape: [batch, height, width, inChannels])
        image.scalars.withUnsafeMutableBufferPointer { x in
            let chunk = UnsafeMutablePointer<Float>.allocate(capacity: min(rows, chunkRows) * patchSize)
            defer { chunk.deallocate() }
            for start in Swift.stride(from: 0, to: rows, by: chunkRows) {
                let range = start..<min(rows, start + chunkRows)
                patchGradient(range, chunk)
                addPatches(chunk, rows: range, into: x.baseAddress!)
            }
        }
        return image
    }

    /// Transposes each of `blocks` consecutive `rows × columns` matrices of `tensor`'s elements.
    private static func transposeInnerBlocks(_ tensor: Tensor, blocks: Int, rows: Int, columns: Int) -> Tensor {
        Tensor(shape: [tensor.count]) { destination in
            tensor.scalars.withUnsafeBufferPointer { source in
                for block in 0..<blocks {
                    let base = block * rows * columns
                    for row in 0..<rows {
                        for column in 0..<columns {
                            destination[base + column * rows + row] = source[base + row * columns + column]
                        }
                    }
                }
            }
        }
    }
}

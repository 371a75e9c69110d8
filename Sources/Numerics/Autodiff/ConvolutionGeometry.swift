/// The index arithmetic of a zero-padded, strided 2-D convolution over channels-last input, and
/// the im2col/col2im transforms that turn it into GEMMs.
///
/// Patch columns are ordered `(Cin, kh, kw)` like PyTorch's weight `[Cout, Cin, kh, kw]`, so that
/// weight viewed as `[Cout, Cin·kh·kw]` multiplies the patches directly and the patch rows are the
/// layer inputs K-FAC expects.
///
/// Without an observer the patch matrix is never materialised whole: it is built and consumed in
/// chunks of rows (``forEachPatchChunk(of:_:)``) in one reused buffer. A whole patch matrix is
/// `kh·kw` times the input and, freshly allocated per layer, costs more in page faults than the
/// GEMM costs in arithmetic.
struct ConvolutionGeometry {
    let batch, height, width, inChannels: Int
    let kernelHeight, kernelWidth, stride, padding: Int
    let outHeight, outWidth: Int
    /// Rows per chunk: about `chunkElements` patch elements, at least one row.
    let chunkRows: Int

    /// Patch elements per chunk: 4 MiB, large enough for efficient GEMMs and small enough that
    /// the allocator recycles the buffer instead of mapping fresh pages.
    static let defaultChunkElements = 1 << 20

    init(input shape: [Int], kernelHeight: Int, kernelWidth: Int, stride: Int, padding: Int, chunkElements: Int) {
        precondition(shape.count == 4, "conv2d input must be [N, H, W, C], got \(shape)")
        precondition(stride >= 1 && padding >= 0, "conv2d stride \(stride), padding \(padding)")
        (batch, height, width, inChannels) = (shape[0], shape[1], shape[2], shape[3])
        (self.kernelHeight, self.kernelWidth, self.stride, self.padding) = (kernelHeight, kernelWidth, stride, padding)
        precondition(height + 2 * padding >= kernelHeight && width + 2 * padding >= kernelWidth,
                     "conv2d kernel \(kernelHeight)x\(kernelWidth) larger than padded input \(shape)")
        outHeight = (height + 2 * padding - kernelHeight) / stride + 1
        outWidth = (width + 2 * padding - kernelWidth) / stride + 1
        chunkRows = max(1, chunkElements / max(1, inChannels * kernelHeight * kernelWidth))
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

    /// The whole `[rows, patchSize]` patch matrix of a `[N, H, W, Cin]` input (zeros where padded).
    func im2col(_ input: Tensor) -> Tensor {
        if isPointwise { return input.reshaped([rows, patchSize]) }
        var patches = Tensor(shape: [rows, patchSize])
        input.scalars.withUnsafeBufferPointer { x in
            patches.scalars.withUnsafeMutableBufferPointer { p in
                fillPatches(from: x.baseAddress!, rows: 0..<rows, into: p.baseAddress!)
            }
        }
        return patches
    }

    /// Calls `body(rows, patches)` for consecutive row ranges covering all rows, with `patches`
    /// pointing at that range's `[rows.count, patchSize]` patch matrix (valid during the call).
    func forEachPatchChunk(of input: Tensor, _ body: (Range<Int>, UnsafePointer<Float>) -> Void) {
        input.scalars.withUnsafeBufferPointer { x in
            if isPointwise { return body(0..<rows, x.baseAddress!) }
            var buffer = [Float](repeating: 0, count: min(rows, chunkRows) * patchSize)
            buffer.withUnsafeMutableBufferPointer { chunk in
                for start in Swift.stride(from: 0, to: rows, by: chunkRows) {
                    let range = start..<min(rows, start + chunkRows)
                    fillPatches(from: x.baseAddress!, rows: range, into: chunk.baseAddress!)
                    body(range, chunk.baseAddress!)
                }
            }
        }
    }

    /// The gradient of the `[N, H, W, Cin]` input, given a producer that writes the patch
    /// gradient of a row range into a `[rows.count, patchSize]` buffer; chunk by chunk, each patch
    /// gradient is scatter-added onto the pixels it was gathered from.
    func inputGradient(_ patchGradient: (Range<Int>, UnsafeMutablePointer<Float>) -> Void) -> Tensor {
        var image = Tensor(shape: [batch, height, width, inChannels])
        image.scalars.withUnsafeMutableBufferPointer { x in
            if isPointwise { return patchGradient(0..<rows, x.baseAddress!) }
            var buffer = [Float](repeating: 0, count: min(rows, chunkRows) * patchSize)
            buffer.withUnsafeMutableBufferPointer { chunk in
                for start in Swift.stride(from: 0, to: rows, by: chunkRows) {
                    let range = start..<min(rows, start + chunkRows)
                    patchGradient(range, chunk.baseAddress!)
                    addPatches(chunk.baseAddress!, rows: range, into: x.baseAddress!)
                }
            }
        }
        return image
    }

    /// Gathers the patches of `rows` into `patches` (every element written).
    private func fillPatches(from input: UnsafePointer<Float>, rows: Range<Int>, into patches: UnsafeMutablePointer<Float>) {
        // Taps in the padding read from a row of zeros.
        var zeros = [Float](repeating: 0, count: inChannels)
        zeros.withUnsafeMutableBufferPointer { zeros in
            let tapPixels = UnsafeMutablePointer<UnsafeMutablePointer<Float>>.allocate(capacity: taps)
            defer { tapPixels.deallocate() }
            var destination = patches
            for row in rows {
                // Only read here; the tap table is shared with the scatter-add, which writes.
                locateTaps(row: row, image: UnsafeMutablePointer(mutating: input), outside: zeros.baseAddress!,
                           into: tapPixels)
                for channel in 0..<inChannels {
                    for tap in 0..<taps { destination[tap] = tapPixels[tap][channel] }
                    destination += taps
                }
            }
        }
    }

    /// Adds the patch gradients of `rows` onto the pixels they were gathered from.
    private func addPatches(_ patches: UnsafePointer<Float>, rows: Range<Int>, into image: UnsafeMutablePointer<Float>) {
        // Taps in the padding add into a discarded sink, which keeps the inner loop branch-free.
        var sink = [Float](repeating: 0, count: inChannels)
        sink.withUnsafeMutableBufferPointer { sink in
            let tapPixels = UnsafeMutablePointer<UnsafeMutablePointer<Float>>.allocate(capacity: taps)
            defer { tapPixels.deallocate() }
            var source = patches
            for row in rows {
                locateTaps(row: row, image: image, outside: sink.baseAddress!, into: tapPixels)
                for channel in 0..<inChannels {
                    for tap in 0..<taps { tapPixels[tap][channel] += source[tap] }
                    source += taps
                }
            }
        }
    }

    /// Points each kernel tap of output `row` (in `kh, kw` order) at channel 0 of the input pixel
    /// it reads, or at `outside` when the tap falls into the padding.
    private func locateTaps(row: Int, image: UnsafeMutablePointer<Float>, outside: UnsafeMutablePointer<Float>,
                            into tapPixels: UnsafeMutablePointer<UnsafeMutablePointer<Float>>) {
        let example = row / (outHeight * outWidth)
        let outY = row / outWidth % outHeight
        let outX = row % outWidth
        for tapY in 0..<kernelHeight {
            let inY = outY * stride - padding + tapY
            for tapX in 0..<kernelWidth {
                let inX = outX * stride - padding + tapX
                let inside = inY >= 0 && inY < height && inX >= 0 && inX < width
                tapPixels[tapY * kernelWidth + tapX] =
                    inside ? image + ((example * height + inY) * width + inX) * inChannels : outside
            }
        }
    }
}

extension Tensor {
    /// Converts a channels-first `[N, C, H, W]` tensor (files, diffusers) to the engine's
    /// channels-last `[N, H, W, C]`.
    public func nchwToNHWC() -> Tensor {
        precondition(rank == 4, "nchwToNHWC needs a rank-4 tensor, got \(shape)")
        let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
        return Tensor(shape: [n, h, w, c], scalars: Self.transposeInnerBlocks(scalars, blocks: n, rows: c, columns: h * w))
    }

    /// Converts a channels-last `[N, H, W, C]` tensor to channels-first `[N, C, H, W]`.
    public func nhwcToNCHW() -> Tensor {
        precondition(rank == 4, "nhwcToNCHW needs a rank-4 tensor, got \(shape)")
        let (n, h, w, c) = (shape[0], shape[1], shape[2], shape[3])
        return Tensor(shape: [n, c, h, w], scalars: Self.transposeInnerBlocks(scalars, blocks: n, rows: h * w, columns: c))
    }

    /// Transposes each of `blocks` consecutive `rows × columns` matrices.
    private static func transposeInnerBlocks(_ source: [Float], blocks: Int, rows: Int, columns: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: source.count) { destination, initialized in
            source.withUnsafeBufferPointer { source in
                for block in 0..<blocks {
                    let base = block * rows * columns
                    for row in 0..<rows {
                        for column in 0..<columns {
                            destination[base + column * rows + row] = source[base + row * columns + column]
                        }
                    }
                }
            }
            initialized = source.count
        }
    }
}

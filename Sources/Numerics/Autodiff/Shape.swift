extension Tape {
    /// Concatenates along the last dimension: `[..., Ca]` and `[..., Cb]` give `[..., Ca + Cb]`
    /// (channel concatenation of skip connections, channels-last).
    public func concatLastDim(_ a: Variable, _ b: Variable) -> Variable {
        let left = value(a)
        let right = value(b)
        precondition(left.rank >= 1 && left.shape.dropLast() == right.shape.dropLast(),
                     "concatLastDim: leading dimensions of \(left.shape) and \(right.shape) differ")
        let (leftWidth, rightWidth) = (left.shape[left.rank - 1], right.shape[right.rank - 1])
        // Every element of the results below is written by the column copies.
        var output = Tensor(shape: Array(left.shape.dropLast()) + [leftWidth + rightWidth],
                            unsafeUninitializedScalarsWith: { _ in })
        copyColumns(leftWidth, from: left, at: 0, into: &output, at: 0)
        copyColumns(rightWidth, from: right, at: 0, into: &output, at: leftWidth)
        let needsA = requiresGradient(a)
        let needsB = requiresGradient(b)
        return record(output, operands: [a, b]) { gradient in
            var contributions: [(Variable, Tensor)] = []
            if needsA {
                var part = Tensor(shape: left.shape, unsafeUninitializedScalarsWith: { _ in })
                copyColumns(leftWidth, from: gradient, at: 0, into: &part, at: 0)
                contributions.append((a, part))
            }
            if needsB {
                var part = Tensor(shape: right.shape, unsafeUninitializedScalarsWith: { _ in })
                copyColumns(rightWidth, from: gradient, at: leftWidth, into: &part, at: 0)
                contributions.append((b, part))
            }
            return contributions
        }
    }

    /// The columns `range` of the last dimension: `[..., C]` gives `[..., range.count]`.
    public func sliceLastDim(_ x: Variable, _ range: Range<Int>) -> Variable {
        let input = value(x)
        precondition(input.rank >= 1 && range.lowerBound >= 0 && range.upperBound <= input.shape[input.rank - 1],
                     "sliceLastDim: \(range) outside the last dimension of \(input.shape)")
        var output = Tensor(shape: Array(input.shape.dropLast()) + [range.count], unsafeUninitializedScalarsWith: { _ in })
        copyColumns(range.count, from: input, at: range.lowerBound, into: &output, at: 0)
        return record(output, operands: [x]) { gradient in
            var inputGradient = Tensor(zerosLike: input)
            copyColumns(range.count, from: gradient, at: 0, into: &inputGradient, at: range.lowerBound)
            return [(x, inputGradient)]
        }
    }

    /// The same elements with another shape of equal element count.
    public func reshape(_ x: Variable, _ shape: [Int]) -> Variable {
        let input = value(x)
        precondition(shape.reduce(1, *) == input.count, "reshape: \(input.shape) cannot become \(shape)")
        return record(input.reshaped(shape), operands: [x]) { gradient in
            [(x, gradient.reshaped(input.shape))]
        }
    }

    /// Nearest-neighbour upsampling by 2 in both spatial directions: `[N, H, W, C]` gives
    /// `[N, 2H, 2W, C]` (PyTorch's `interpolate(scale_factor=2, mode="nearest")`).
    public func upsampleNearest2x(_ x: Variable) -> Variable {
        let input = value(x)
        precondition(input.rank == 4, "upsampleNearest2x needs [N, H, W, C], got \(input.shape)")
        let (batch, height, width, channels) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let output = Tensor(shape: [batch, 2 * height, 2 * width, channels]) { destination in
            input.scalars.withUnsafeBufferPointer { source in
                forEachUpsampledPixel(batch: batch, height: height, width: width, channels: channels) { from, copies in
                    for corner in copies.indices {
                        (destination.baseAddress! + copies[corner]).update(from: source.baseAddress! + from, count: channels)
                    }
                }
            }
        }
        return record(output, operands: [x]) { gradient in
            // Each input pixel's gradient is the sum over its four copies, written once.
            let inputGradient = Tensor(shape: input.shape) { dx in
                gradient.scalars.withUnsafeBufferPointer { dy in
                    forEachUpsampledPixel(batch: batch, height: height, width: width, channels: channels) { from, copies in
                        let (dy, dx) = (dy.baseAddress!, dx.baseAddress! + from)
                        VectorLoop.forEachVector(count: channels) { channel, lanes in
                            let top = dy.loadVector(at: copies[0] + channel, lanes: lanes)
                                + dy.loadVector(at: copies[1] + channel, lanes: lanes)
                            let bottom = dy.loadVector(at: copies[2] + channel, lanes: lanes)
                                + dy.loadVector(at: copies[3] + channel, lanes: lanes)
                            dx.storeVector(top + bottom, at: channel, lanes: lanes)
                        }
                    }
                }
            }
            return [(x, inputGradient)]
        }
    }
}

/// Copies, in every row (last-dimension vector), `count` columns of `source` starting at column
/// `sourceStart` into `destination` starting at column `destinationStart`. Both tensors have the
/// same leading dimensions.
private func copyColumns(_ count: Int, from source: Tensor, at sourceStart: Int,
                         into destination: inout Tensor, at destinationStart: Int) {
    guard count > 0 else { return }
    let sourceWidth = source.shape[source.rank - 1]
    let destinationWidth = destination.shape[destination.rank - 1]
    let rows = source.count / sourceWidth
    source.scalars.withUnsafeBufferPointer { s in
        destination.scalars.withUnsafeMutableBufferPointer { d in
            for row in 0..<rows {
                (d.baseAddress! + row * destinationWidth + destinationStart)
                    .update(from: s.baseAddress! + row * sourceWidth + sourceStart, count: count)
            }
        }
    }
}

/// Calls `body(from, copies)` with the flat index of channel 0 of every input pixel and of the
/// four output pixels it is copied to by 2x nearest-neighbour upsampling (top left, top right,
/// bottom left, bottom right).
private func forEachUpsampledPixel(
    batch: Int, height: Int, width: Int, channels: Int, _ body: (_ from: Int, _ copies: SIMD4<Int>) -> Void
) {
    let outputRow = 2 * width * channels
    for example in 0..<batch {
        for y in 0..<height {
            for x in 0..<width {
                let from = ((example * height + y) * width + x) * channels
                let topLeft = ((example * 2 * height + 2 * y) * 2 * width + 2 * x) * channels
                body(from, SIMD4(topLeft, topLeft + channels, topLeft + outputRow, topLeft + outputRow + channels))
            }
        }
    }
}

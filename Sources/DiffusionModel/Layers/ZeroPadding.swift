import Numerics

extension Tape {
    /// Appends one zero row at the bottom and one zero column at the right of a `[N, H, W, C]`
    /// tensor (PyTorch's `F.pad(x, (0, 1, 0, 1))`), giving `[N, H+1, W+1, C]`.
    func zeroPadBottomRight(_ x: Variable) -> Variable {
        let input = value(x)
        precondition(input.rank == 4, "zeroPadBottomRight needs [N, H, W, C], got \(input.shape)")
        let (batch, height, width, channels) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let rowLength = width * channels
        let paddedRowLength = (width + 1) * channels
        var output = Tensor(shape: [batch, height + 1, width + 1, channels])
        for image in 0..<batch {
            for row in 0..<height {
                let source = (image * height + row) * rowLength
                let destination = (image * (height + 1) + row) * paddedRowLength
                output.scalars.replaceSubrange(destination..<(destination + rowLength), with: input.scalars[source..<(source + rowLength)])
            }
        }
        return record(output, operands: [x]) { gradient in
            var inputGradient = Tensor(zerosLike: input)
            for image in 0..<batch {
                for row in 0..<height {
                    let source = (image * (height + 1) + row) * paddedRowLength
                    let destination = (image * height + row) * rowLength
                    inputGradient.scalars.replaceSubrange(destination..<(destination + rowLength),
                                                          with: gradient.scalars[source..<(source + rowLength)])
                }
            }
            return [(x, inputGradient)]
        }
    }
}

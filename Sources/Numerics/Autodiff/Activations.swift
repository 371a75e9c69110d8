import Foundation

extension Tape {
    /// The SiLU (swish) activation `x · σ(x)`, elementwise.
    public func silu(_ x: Variable) -> Variable {
        let input = value(x)
        var output = Tensor(zerosLike: input)
        input.scalars.withUnsafeBufferPointer { source in
            output.scalars.withUnsafeMutableBufferPointer { destination in
                for i in 0..<source.count {
                    destination[i] = source[i] / (1 + exp(-source[i]))
                }
            }
        }
        return record(output, operands: [x]) { gradient in
            // d/dx x·σ(x) = σ(x) · (1 + x · (1 − σ(x))); σ is recomputed rather than stored.
            var inputGradient = Tensor(zerosLike: input)
            input.scalars.withUnsafeBufferPointer { source in
                gradient.scalars.withUnsafeBufferPointer { dy in
                    inputGradient.scalars.withUnsafeMutableBufferPointer { dx in
                        for i in 0..<source.count {
                            let sigmoid = 1 / (1 + exp(-source[i]))
                            dx[i] = dy[i] * sigmoid * (1 + source[i] * (1 - sigmoid))
                        }
                    }
                }
            }
            return [(x, inputGradient)]
        }
    }
}

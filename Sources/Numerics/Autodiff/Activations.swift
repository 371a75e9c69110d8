extension Tape {
    /// The SiLU (swish) activation `x · σ(x)`, elementwise.
    ///
    /// σ(x) is kept for the pullback, which then needs no second exponential: one extra tensor
    /// of the input's size per activation, for about half the activation's arithmetic.
    public func silu(_ x: Variable) -> Variable {
        let input = value(x)
        let (output, sigmoid) = siluAndSigmoid(input)
        return record(output, operands: [x]) { gradient in
            // d/dx x·σ(x) = σ(x) · (1 + x · (1 − σ(x))).
            let inputGradient = Tensor(shape: input.shape) { dx in
                input.scalars.withUnsafeBufferPointer { x in
                    gradient.scalars.withUnsafeBufferPointer { dy in
                        sigmoid.scalars.withUnsafeBufferPointer { s in
                            VectorLoop.map(x, dy, s, into: dx) { x, dy, s in dy * s * (1 + x * (1 - s)) }
                        }
                    }
                }
            }
            return [(x, inputGradient)]
        }
    }
}

/// `x · σ(x)` and `σ(x)`, elementwise, in one pass.
private func siluAndSigmoid(_ input: Tensor) -> (output: Tensor, sigmoid: Tensor) {
    var sigmoid = Tensor(shape: input.shape, unsafeUninitializedScalarsWith: { _ in })
    let output = Tensor(shape: input.shape) { y in
        input.scalars.withUnsafeBufferPointer { x in
            sigmoid.scalars.withUnsafeMutableBufferPointer { s in
                guard let x = x.baseAddress, let s = s.baseAddress, let y = y.baseAddress else { return }
                VectorLoop.forEachVector(count: input.count) { index, lanes in
                    let value = x.loadVector(at: index, lanes: lanes)
                    let logistic = vectorSigmoid(value)
                    s.storeVector(logistic, at: index, lanes: lanes)
                    y.storeVector(value * logistic, at: index, lanes: lanes)
                }
            }
        }
    }
    return (output, sigmoid)
}

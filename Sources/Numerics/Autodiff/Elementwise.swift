extension Tape {
    /// Elementwise sum of two tensors of the same shape.
    public func add(_ a: Variable, _ b: Variable) -> Variable {
        let (left, right) = (value(a), value(b))
        precondition(left.shape == right.shape, "add: shape \(left.shape) vs \(right.shape)")
        let output = Tensor(shape: left.shape) { sum in
            left.scalars.withUnsafeBufferPointer { x in
                right.scalars.withUnsafeBufferPointer { y in VectorLoop.map(x, y, into: sum) { $0 + $1 } }
            }
        }
        let needsA = requiresGradient(a)
        let needsB = requiresGradient(b)
        return record(output, operands: [a, b]) { gradient in
            var contributions: [(Variable, Tensor)] = []
            if needsA { contributions.append((a, gradient)) }
            if needsB { contributions.append((b, gradient)) }
            return contributions
        }
    }

    /// `x · factor`, elementwise, for a constant `factor`.
    public func scaled(_ x: Variable, by factor: Float) -> Variable {
        record(value(x).scaled(by: factor), operands: [x]) { gradient in
            [(x, gradient.scaled(by: factor))]
        }
    }
}

extension Tensor {
    /// `self · factor`, elementwise, as a new tensor (one pass, no copy first).
    func scaled(by factor: Float) -> Tensor {
        Tensor(shape: shape) { output in
            scalars.withUnsafeBufferPointer { x in VectorLoop.map(x, into: output) { $0 * factor } }
        }
    }
}

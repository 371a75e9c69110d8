extension Tape {
    /// Elementwise sum of two tensors of the same shape.
    public func add(_ a: Variable, _ b: Variable) -> Variable {
        var output = value(a)
        output.add(value(b))
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
        var output = value(x)
        output.scale(by: factor)
        return record(output, operands: [x]) { gradient in
            var inputGradient = gradient
            inputGradient.scale(by: factor)
            return [(x, inputGradient)]
        }
    }
}

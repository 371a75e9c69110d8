extension Tape {
    /// Mean squared error `mean((prediction − target)²)` over all elements, as a scalar (shape `[]`).
    public func meanSquaredError(_ prediction: Variable, _ target: Variable) -> Variable {
        let predicted = value(prediction)
        let expected = value(target)
        precondition(predicted.shape == expected.shape, "meanSquaredError: \(predicted.shape) vs \(expected.shape)")
        var difference = predicted
        difference.add(expected, scaledBy: -1)
        let count = Float(max(difference.count, 1))
        let loss = Float(difference.scalars.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(count))
        let needsPrediction = requiresGradient(prediction)
        let needsTarget = requiresGradient(target)
        return record(Tensor(shape: [], scalars: [loss]), operands: [prediction, target]) { gradient in
            // d/dp = 2 (p − t) / count · upstream; the target gets the negative.
            var predictionGradient = difference
            predictionGradient.scale(by: 2 * gradient.scalars[0] / count)
            var contributions: [(Variable, Tensor)] = []
            if needsTarget {
                var targetGradient = predictionGradient
                targetGradient.scale(by: -1)
                contributions.append((target, targetGradient))
            }
            if needsPrediction { contributions.append((prediction, predictionGradient)) }
            return contributions
        }
    }
}

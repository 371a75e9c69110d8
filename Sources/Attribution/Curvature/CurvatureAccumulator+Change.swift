extension CurvatureAccumulator {
    /// How far this accumulator's normalised factors have moved from `previous`'s: the largest,
    /// over layers and over `A` and `S`, of `‖F − F_previous‖_F / ‖F_previous‖_F`.
    ///
    /// Cheap (`O(kIn² + kOut²)` per layer, no eigendecomposition), for deciding when a
    /// ``Curvature`` snapshot is stale. Returns infinity when the layouts differ or a layer has
    /// samples in one accumulator and none in the other, and 0 when neither has any.
    public func relativeChange(from previous: CurvatureAccumulator) -> Double {
        guard previous.layout == layout else { return .infinity }
        var largest = 0.0
        for index in layers.indices {
            let pairs = [(inputFactor(layer: index), previous.inputFactor(layer: index)),
                         (outputFactor(layer: index), previous.outputFactor(layer: index))]
            for (current, old) in pairs {
                switch (current, old) {
                case (nil, nil):
                    continue
                case (let current?, let old?):
                    largest = max(largest, Self.relativeDistance(current, old))
                default:
                    return .infinity
                }
            }
        }
        return largest
    }

    private static func relativeDistance(_ current: [Double], _ reference: [Double]) -> Double {
        var difference = 0.0, norm = 0.0
        for (value, old) in zip(current, reference) {
            difference += (value - old) * (value - old)
            norm += old * old
        }
        if norm == 0 { return difference == 0 ? 0 : .infinity }
        return (difference / norm).squareRoot()
    }
}

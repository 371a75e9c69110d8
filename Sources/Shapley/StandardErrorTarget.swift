extension ShapleyEstimator {
    /// When a run may stop: every player's standard error at most a threshold per property.
    public enum StandardErrorTarget: Sendable, Equatable {
        /// The same threshold, in the properties' own units, for every property.
        case absolute(Double)
        /// A fraction of |F(all) − F(∅)| of each property (properties have different units).
        /// A property with F(all) = F(∅) then needs standard error 0.
        case relative(Double)

        /// The threshold of each property of `estimates` (NaN while F(∅) or F(all) is unknown).
        public func thresholds(for estimates: ShapleyEstimates) -> [Double] {
            switch self {
            case .absolute(let threshold): estimates.grandValue.map { _ in threshold }
            case .relative(let fraction):
                // An infinite fraction means no target, even for a property with F(all) = F(∅).
                zip(estimates.grandValue, estimates.emptyValue).map { fraction == .infinity ? .infinity : fraction * abs($0 - $1) }
            }
        }

        /// Whether every player's standard error is within its property's threshold.
        public func isReached(by estimates: ShapleyEstimates) -> Bool {
            zip(estimates.standardErrors, thresholds(for: estimates)).allSatisfy { errors, threshold in
                errors.allSatisfy { $0 <= threshold }
            }
        }

        /// The threshold or fraction as given.
        var magnitude: Double {
            switch self {
            case .absolute(let value), .relative(let value): value
            }
        }
    }
}

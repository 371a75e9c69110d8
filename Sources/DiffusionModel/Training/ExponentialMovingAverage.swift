import Foundation
import Numerics

/// An exponential moving average of the model's weights, as diffusers' `EMAModel` with
/// `use_ema_warmup`: the decay after `n` updates is `1 − (1 + (n−1)/invGamma)^−power`, capped at
/// `maxDecay`, and 0 for the first update (which therefore copies the weights).
public struct ExponentialMovingAverage: Sendable {
    /// Settings of the decay schedule (diffusers' training defaults: 1.0, 0.75, 0.9999).
    public struct Settings: Sendable, Equatable {
        /// Time scale of the warm-up.
        public var invGamma: Double
        /// Exponent of the warm-up.
        public var power: Double
        /// The largest decay ever used.
        public var maxDecay: Double

        /// Settings with the given values.
        public init(invGamma: Double = 1, power: Double = 0.75, maxDecay: Double = 0.9999) {
            self.invGamma = invGamma
            self.power = power
            self.maxDecay = maxDecay
        }
    }

    /// The decay schedule.
    public let settings: Settings
    /// Number of updates so far (diffusers' `optimization_step`).
    public private(set) var updateCount: Int
    /// The averaged weights, in the model's parameter order.
    public private(set) var averages: ParameterSet

    /// An average that starts from `weights`; the first ``update(with:)`` replaces them anyway.
    public init(settings: Settings, weights: ParameterSet, updateCount: Int = 0) {
        self.settings = settings
        self.averages = weights
        self.updateCount = updateCount
    }

    /// The decay used by the `count`-th update (counted from 1).
    public func decay(forUpdate count: Int) -> Double {
        let step = count - 1
        guard step > 0 else { return 0 }
        let warmedUp = 1 - pow(1 + Double(step) / settings.invGamma, -settings.power)
        return max(min(warmedUp, settings.maxDecay), 0)
    }

    /// Moves every average towards the current weights: `average −= (1 − decay)·(average − weight)`.
    public mutating func update(with weights: ParameterSet) {
        updateCount += 1
        let rate = Float(1 - decay(forUpdate: updateCount))
        for (name, weight) in weights.entries {
            guard var average = averages[name] else {
                averages[name] = weight
                continue
            }
            precondition(average.shape == weight.shape, "EMA: \(name) has shape \(weight.shape), average \(average.shape)")
            var difference = average
            difference.add(weight, scaledBy: -1)
            average.add(difference, scaledBy: -rate)
            averages[name] = average
        }
    }
}

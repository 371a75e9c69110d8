import Numerics

/// A mean with a percentile bootstrap confidence interval.
public struct BootstrapInterval: Sendable, Equatable, Codable {
    /// The mean of the observations.
    public let mean: Double
    /// Lower end of the interval.
    public let lower: Double
    /// Upper end of the interval.
    public let upper: Double
    /// Coverage of the interval, e.g. 0.95.
    public let confidence: Double

    /// The mean of `values` and a percentile interval from `resamples` resamples with
    /// replacement, drawn from a generator keyed by `seed` (so reruns print the same interval).
    public init(values: [Double], confidence: Double = 0.95, resamples: Int = 2000, seed: UInt64 = 0) {
        precondition(!values.isEmpty && confidence > 0 && confidence < 1 && resamples > 0, "bootstrap: invalid arguments")
        mean = values.reduce(0, +) / Double(values.count)
        self.confidence = confidence
        var generator = SeededGenerator(keys: seed, 0x424F_4F54)  // "BOOT"
        var means: [Double] = []
        means.reserveCapacity(resamples)
        for _ in 0..<resamples {
            var sum = 0.0
            for _ in values.indices { sum += values[Int.random(in: 0..<values.count, using: &generator)] }
            means.append(sum / Double(values.count))
        }
        means.sort()
        let tail = (1 - confidence) / 2
        lower = means[min(resamples - 1, Int((tail * Double(resamples)).rounded(.down)))]
        upper = means[min(resamples - 1, Int(((1 - tail) * Double(resamples)).rounded(.down)))]
    }
}

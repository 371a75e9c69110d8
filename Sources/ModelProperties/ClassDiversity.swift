import DiffusionModel
import Foundation
import Numerics

/// How evenly generated samples cover the classes of the training data (name `class_diversity`;
/// higher is better): the entropy, in nats, of the mean predicted class distribution
/// `q̄ = (1/M) Σ_j p(·|x_j)` of an ``ImageClassifier``, between 0 (every sample one class) and
/// `log K` (classes equally represented).
///
/// **Masses** (``GeneratedSampleProperty``): `q̄(w) = Σ_j w_j p_j / Σ_j w_j` and
/// `F(w) = −Σ_k q̄_k log q̄_k`. At unit masses `∂q̄_k/∂w_j = (p_jk − q̄_k)/M`, and since
/// `Σ_k (p_jk − q̄_k) = 0` the `−1` of `d(q log q) = (log q + 1) dq` drops out:
///
///     ∂F/∂w_j = −(1/M) Σ_k (p_jk − q̄_k) log q̄_k.
///
/// A sample of a class that is rarer than average among the samples raises `F` with its mass, so
/// its weight `−∂F/∂w_j` is negative: raising diversity lowers the likelihood of over-represented
/// classes and raises that of rare ones.
public struct ClassDiversity: GeneratedSampleProperty {
    /// The classifier that labels generated samples.
    public let classifier: ImageClassifier

    /// Diversity as seen by `classifier`.
    public init(classifier: ImageClassifier) {
        self.classifier = classifier
    }

    /// The property's name.
    public static let propertyName = "class_diversity"
    /// `class_diversity`.
    public var name: String { Self.propertyName }
    /// True: more diverse samples are better.
    public var higherIsBetter: Bool { true }
    /// The classifier's input shape.
    public var imageShape: [Int]? { classifier.inputShape }

    /// `F(w)` for `generated` with positive `masses`.
    public func value(generated: Tensor, masses: [Double]) -> Double {
        Self.entropyOfMean(classifier.probabilities(generated), masses: masses)
    }

    /// `∂F/∂w_j` at unit masses (see the type's documentation).
    public func massSensitivities(generated: Tensor) -> [Double] {
        let rows = classifier.probabilities(generated)
        let mean = Self.weightedMean(rows, masses: Array(repeating: 1, count: rows.count))
        let logarithms = mean.map { $0 > 0 ? log($0) : 0 }
        return rows.map { row in
            -zip(zip(row, mean), logarithms).reduce(0.0) { $0 + ($1.0.0 - $1.0.1) * $1.1 } / Double(rows.count)
        }
    }

    /// `−Σ_k q̄_k log q̄_k` (nats, `0 log 0 = 0`) of the `masses`-weighted mean of `probabilities`.
    public static func entropyOfMean(_ probabilities: [[Double]], masses: [Double]) -> Double {
        -weightedMean(probabilities, masses: masses).reduce(0.0) { $1 > 0 ? $0 + $1 * log($1) : $0 }
    }

    /// `Σ_j w_j p_j / Σ_j w_j`.
    private static func weightedMean(_ probabilities: [[Double]], masses: [Double]) -> [Double] {
        precondition(!probabilities.isEmpty && masses.count == probabilities.count && masses.allSatisfy { $0 > 0 },
                     "one positive mass per sample")
        let total = masses.reduce(0, +)
        var mean = [Double](repeating: 0, count: probabilities[0].count)
        for (row, mass) in zip(probabilities, masses) {
            for index in mean.indices { mean[index] += mass * row[index] }
        }
        return mean.map { $0 / total }
    }
}

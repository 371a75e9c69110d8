import Foundation
import Numerics

/// A multinomial logistic regression from images (or fixed features of them) to class labels,
/// trained on labelled training data to tell which classes generated samples show.
///
/// Prediction is `softmax(φ(x)ᵀW + b)`: one GEMM over the batch. The standardisation of the
/// features used in training is folded into `W` and `b`.
public struct ImageClassifier: Sendable {
    /// Number of classes `K`; labels are `0..<K`.
    public let classes: Int
    /// The `[channels, height, width]` of the images the classifier reads.
    public let inputShape: [Int]
    /// The features the regression reads, or nil for pixels.
    public let featureMap: FixedFeatureMap?
    /// `W`, row-major `[features, classes]`.
    let weights: [Float]
    /// `b`, `[classes]`.
    let bias: [Float]

    /// A classifier with the given parameters (built by ``train(images:labels:classes:settings:)``).
    init(classes: Int, inputShape: [Int], featureMap: FixedFeatureMap?, weights: [Float], bias: [Float]) {
        self.classes = classes
        self.inputShape = inputShape
        self.featureMap = featureMap
        self.weights = weights
        self.bias = bias
    }

    /// The class probabilities of every image of `images` `[N, C, H, W]`, one row of `K` per image.
    public func probabilities(_ images: Tensor) -> [[Double]] {
        precondition(images.rank == 4 && Array(images.shape.dropFirst()) == inputShape,
                     "ImageClassifier: images \(images.shape) are not [N] + \(inputShape)")
        let logits = Self.logits(features: Self.inputs(images, featureMap: featureMap), weights: weights, bias: bias, classes: classes)
        return (0..<images.shape[0]).map { Self.softmax(logits.scalars[$0 * classes..<($0 + 1) * classes]) }
    }

    /// The fraction of `images` whose most probable class is their label.
    public func accuracy(images: Tensor, labels: [Int]) -> Double {
        let rows = probabilities(images)
        precondition(labels.count == rows.count, "accuracy: \(labels.count) labels for \(rows.count) images")
        let correct = zip(rows, labels).count { row, label in row.indices.max { row[$0] < row[$1] } == label }
        return Double(correct) / Double(max(rows.count, 1))
    }

    /// The regression's inputs `[N, features]`: the feature map's output, or the pixels.
    static func inputs(_ images: Tensor, featureMap: FixedFeatureMap?) -> Tensor {
        featureMap?.features(images) ?? images.reshaped([images.shape[0], images.count / max(images.shape[0], 1)])
    }

    /// `features · W + b` as `[N, classes]`.
    static func logits(features: Tensor, weights: [Float], bias: [Float], classes: Int) -> Tensor {
        let (rows, width) = (features.shape[0], features.shape[1])
        var logits = Tensor(repeatingRow: Tensor(shape: [classes], scalars: bias), count: rows)
        features.scalars.withUnsafeBufferPointer { inputs in
            weights.withUnsafeBufferPointer { weights in
                logits.scalars.withUnsafeMutableBufferPointer { output in
                    guard let inputs = inputs.baseAddress, let weights = weights.baseAddress, let output = output.baseAddress else { return }
                    sgemm(.none, .none, m: rows, n: classes, k: width, a: inputs, lda: width, b: weights, ldb: classes,
                          beta: 1, c: output, ldc: classes)
                }
            }
        }
        return logits
    }

    /// The softmax of one row of logits, in Double (shifted by the maximum, so it never overflows).
    static func softmax(_ logits: ArraySlice<Float>) -> [Double] {
        let largest = Double(logits.max() ?? 0)
        let exponentials = logits.map { exp(Double($0) - largest) }
        let total = exponentials.reduce(0, +)
        return exponentials.map { $0 / total }
    }
}

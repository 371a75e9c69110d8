import Foundation
import Numerics

/// Full-batch Nesterov-accelerated gradient descent on the L2-regularised mean cross-entropy of a
/// softmax regression, `(1/N) Σ_i −log softmax(z_iᵀW + b)_{y_i} + (λ/2)‖W‖²`, over standardised
/// features `z_i`. Logits and gradients are GEMMs.
struct SoftmaxRegressionFit {
    /// `Z`, `[N, F]`.
    let features: Tensor
    /// `y_i ∈ 0..<K`.
    let labels: [Int]
    /// `K`.
    let classes: Int
    /// `λ`.
    let l2: Float
    /// `W`, row-major `[F, K]`, starting at zero.
    private(set) var weights: [Float]
    /// `b`, `[K]`, starting at zero.
    private(set) var bias: [Float]

    init(features: Tensor, labels: [Int], classes: Int, l2: Float) {
        self.features = features
        self.labels = labels
        self.classes = classes
        self.l2 = l2
        weights = [Float](repeating: 0, count: features.shape[1] * classes)
        bias = [Float](repeating: 0, count: classes)
    }

    /// Runs at most `iterations` accelerated steps of size `1/L`, stopping once the gradient's norm
    /// at the extrapolated point is below `tolerance` (that point is then the result).
    mutating func run(iterations: Int, tolerance: Double) {
        let stepSize = 1 / (0.5 * max(largestGramEigenvalue(), 1) + l2)
        var (previousWeights, previousBias) = (weights, bias)
        for iteration in 1...iterations {
            let momentum = Float(iteration - 1) / Float(iteration + 2)
            let pointWeights = Self.extrapolate(weights, previousWeights, momentum)
            let pointBias = Self.extrapolate(bias, previousBias, momentum)
            let (weightGradient, biasGradient) = gradient(weights: pointWeights, bias: pointBias)
            let norm = (weightGradient + biasGradient).reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
            (previousWeights, previousBias) = (weights, bias)
            if norm < tolerance {
                (weights, bias) = (pointWeights, pointBias)
                return
            }
            weights = zip(pointWeights, weightGradient).map { $0 - stepSize * $1 }
            bias = zip(pointBias, biasGradient).map { $0 - stepSize * $1 }
        }
    }

    /// `current + momentum · (current − previous)`.
    private static func extrapolate(_ current: [Float], _ previous: [Float], _ momentum: Float) -> [Float] {
        zip(current, previous).map { $0 + momentum * ($0 - $1) }
    }

    /// The objective's gradient at `(weights, bias)`: `Zᵀ R + λW` and the column sums of
    /// `R = (softmax(ZW + b) − onehot(y)) / N`.
    private func gradient(weights: [Float], bias: [Float]) -> (weights: [Float], bias: [Float]) {
        let (rows, width) = (features.shape[0], features.shape[1])
        var residuals = ImageClassifier.logits(features: features, weights: weights, bias: bias, classes: classes)
        var biasGradient = [Float](repeating: 0, count: classes)
        let inverseRows = 1 / Float(rows)
        residuals.scalars.withUnsafeMutableBufferPointer { values in
            for row in 0..<rows {
                let logits = UnsafeMutableBufferPointer(rebasing: values[row * classes..<(row + 1) * classes])
                let largest = logits.max() ?? 0
                var total: Float = 0
                for label in 0..<classes {
                    logits[label] = exp(logits[label] - largest)
                    total += logits[label]
                }
                for label in 0..<classes {
                    let residual = (logits[label] / total - (label == labels[row] ? 1 : 0)) * inverseRows
                    logits[label] = residual
                    biasGradient[label] += residual
                }
            }
        }
        var weightGradient = weights.map { l2 * $0 }
        features.scalars.withUnsafeBufferPointer { inputs in
            residuals.scalars.withUnsafeBufferPointer { residuals in
                weightGradient.withUnsafeMutableBufferPointer { output in
                    guard let inputs = inputs.baseAddress, let residuals = residuals.baseAddress, let output = output.baseAddress else { return }
                    sgemm(.transposed, .none, m: width, n: classes, k: rows, a: inputs, lda: width, b: residuals, ldb: classes,
                          beta: 1, c: output, ldc: classes)
                }
            }
        }
        return (weightGradient, biasGradient)
    }

    /// `λ_max(ZᵀZ/N)` by 30 power iterations from a fixed start, raised by 10% so that an estimate
    /// that has not fully converged (power iteration approaches from below) still bounds it.
    private func largestGramEigenvalue() -> Float {
        let (rows, width) = (features.shape[0], features.shape[1])
        var generator = SeededGenerator(keys: 0x504F_5745_0000_0001)  // "POWE" 1
        var vector = Tensor(shape: [width, 1], scalars: generator.normals(count: width))
        var estimate: Float = 0
        for _ in 0..<30 {
            let norm = vector.dot(vector).squareRoot()
            guard norm > 0 else { return 0 }
            vector.scale(by: 1 / norm)
            let projected = features.matmul(vector)
            vector = features.matmul(projected, transposeSelf: .transposed)
            vector.scale(by: 1 / Float(rows))
            estimate = vector.dot(vector).squareRoot()
        }
        return 1.1 * estimate
    }
}

import Foundation
import Numerics

/// Adam with decoupled weight decay, step for step as PyTorch's `torch.optim.AdamW`
/// (single-tensor CPU path, no AMSGrad).
///
/// Per parameter `p` with gradient `g`, at step `k` (from 1) and learning rate `lr`:
/// `p ← p·(1 − lr·λ)`, `m ← m + (1−β₁)(g − m)`, `v ← β₂v + (1−β₂)g²`,
/// `p ← p − lr/(1−β₁ᵏ) · m / (√v/√(1−β₂ᵏ) + ε)`. Scalars are formed in Double, as PyTorch forms
/// them in Python, and the elementwise work is Float32.
public struct AdamW: Sendable {
    /// The optimiser's constants (diffusers' unconditional-training defaults).
    public struct Settings: Sendable, Equatable {
        /// β₁: decay of the first-moment average.
        public var beta1: Double
        /// β₂: decay of the second-moment average.
        public var beta2: Double
        /// λ: decoupled weight decay, multiplied by the learning rate.
        public var weightDecay: Double
        /// ε: added to the denominator.
        public var epsilon: Double

        /// Settings with the given values.
        public init(beta1: Double = 0.95, beta2: Double = 0.999, weightDecay: Double = 1e-6, epsilon: Double = 1e-8) {
            self.beta1 = beta1
            self.beta2 = beta2
            self.weightDecay = weightDecay
            self.epsilon = epsilon
        }
    }

    /// The constants.
    public let settings: Settings
    /// Number of steps taken (PyTorch's per-parameter `step`, equal for all parameters).
    public private(set) var stepCount: Int
    /// First-moment averages `m`, by parameter name.
    public private(set) var firstMoments: [String: Tensor]
    /// Second-moment averages `v`, by parameter name.
    public private(set) var secondMoments: [String: Tensor]

    /// A fresh optimiser (moments are created as zeros on first use).
    public init(settings: Settings) {
        self.init(settings: settings, stepCount: 0, firstMoments: [:], secondMoments: [:])
    }

    /// An optimiser resuming from saved state.
    public init(settings: Settings, stepCount: Int, firstMoments: [String: Tensor], secondMoments: [String: Tensor]) {
        self.settings = settings
        self.stepCount = stepCount
        self.firstMoments = firstMoments
        self.secondMoments = secondMoments
    }

    /// One optimisation step over every parameter that has a gradient; parameters without one
    /// are left alone (PyTorch skips parameters whose `.grad` is `None`).
    public mutating func step(parameters: inout ParameterSet, gradients: [String: Tensor], learningRate: Double) {
        stepCount += 1
        let k = Double(stepCount)
        let stepSize = learningRate / (1 - pow(settings.beta1, k))
        let constants = Constants(
            decay: Float(1 - learningRate * settings.weightDecay),
            firstRate: Float(1 - settings.beta1),
            beta2: Float(settings.beta2),
            secondRate: Float(1 - settings.beta2),
            secondCorrection: Float((1 - pow(settings.beta2, k)).squareRoot()),
            epsilon: Float(settings.epsilon),
            negativeStepSize: Float(-stepSize))
        for (name, gradient) in gradients {
            // The moments are taken out of their dictionaries so their storage is uniquely
            // referenced and updated in place; the parameter is copied once, then stored back.
            guard var parameter = parameters[name] else { continue }
            precondition(parameter.shape == gradient.shape, "AdamW: gradient of \(name) has shape \(gradient.shape), parameter \(parameter.shape)")
            var m = firstMoments.removeValue(forKey: name) ?? Tensor(zerosLike: parameter)
            var v = secondMoments.removeValue(forKey: name) ?? Tensor(zerosLike: parameter)
            Self.update(&parameter.scalars, &m.scalars, &v.scalars, gradient.scalars, constants)
            parameters[name] = parameter
            firstMoments[name] = m
            secondMoments[name] = v
        }
    }

    private struct Constants {
        let decay, firstRate, beta2, secondRate, secondCorrection, epsilon, negativeStepSize: Float
    }

    private static func update(_ parameter: inout [Float], _ m: inout [Float], _ v: inout [Float], _ gradient: [Float], _ c: Constants) {
        parameter.withUnsafeMutableBufferPointer { p in
            m.withUnsafeMutableBufferPointer { m in
                v.withUnsafeMutableBufferPointer { v in
                    gradient.withUnsafeBufferPointer { g in
                        for i in 0..<p.count {
                            p[i] *= c.decay
                            m[i] += c.firstRate * (g[i] - m[i])
                            v[i] = v[i] * c.beta2 + c.secondRate * g[i] * g[i]
                            let denominator = v[i].squareRoot() / c.secondCorrection + c.epsilon
                            p[i] += c.negativeStepSize * m[i] / denominator
                        }
                    }
                }
            }
        }
    }
}

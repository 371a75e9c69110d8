import Numerics

/// One optimiser step of denoising training on a given minibatch: each example's timestep and
/// noise from ``TrainingDraws`` (keyed by the step and its id, so an example gets the same draw
/// in any batch or subset), the noise-prediction loss and its gradients, gradient clipping and
/// AdamW. ``Trainer`` and in-memory trainers (e.g. retraining on a subset of the data) share it.
public struct DenoisingTrainingStep: Sendable {
    /// The loss.
    public let objective: DenoisingObjective
    /// The run's random draws.
    public let draws: TrainingDraws
    /// Gradients are scaled down to this joint norm; 0 turns clipping off.
    public let maxGradNorm: Double

    /// A step with the given loss, draws and clipping norm.
    public init(objective: DenoisingObjective, draws: TrainingDraws, maxGradNorm: Double) {
        self.objective = objective
        self.draws = draws
        self.maxGradNorm = maxGradNorm
    }

    /// Takes optimiser step `step` (counted from 0) on the minibatch `images` `[B, C, H, W]`
    /// with ids `ids`, and returns the minibatch loss before the update.
    ///
    /// - Parameter mask: Parameters to keep at zero (e.g. pruned weights): per parameter name a
    ///   tensor of its shape whose zero elements are masked. Masked gradients are zeroed before
    ///   clipping, so the clipping norm is over live weights only, and masked parameters are set
    ///   to zero again after the update, so weight decay and the moments cannot revive them.
    /// - Throws: ``TrainingError/nonFiniteLoss(step:)``, leaving parameters and optimiser untouched.
    @discardableResult
    public func apply(
        step: Int, images: Tensor, ids: [Int64], learningRate: Double,
        parameters: inout ParameterSet, optimizer: inout AdamW, mask: [String: Tensor]? = nil
    ) throws(TrainingError) -> Float {
        let perImage = images.count / max(ids.count, 1)
        var timesteps: [Int] = []
        var noise: [Float] = []
        noise.reserveCapacity(images.count)
        for id in ids {
            let draw = draws.timestepAndNoise(
                step: step, exampleID: id, trainTimesteps: objective.scheduler.trainTimesteps, count: perImage)
            timesteps.append(draw.timestep)
            noise += draw.noise
        }
        var (loss, gradients) = objective.lossAndGradients(
            parameters: parameters, images: images, noise: Tensor(shape: images.shape, scalars: noise), timesteps: timesteps)
        guard loss.isFinite else { throw .nonFiniteLoss(step: step) }
        if let mask { Self.zeroMasked(&gradients, mask: mask) }
        if maxGradNorm > 0 { clipGradientNorm(&gradients, maxNorm: maxGradNorm) }
        optimizer.step(parameters: &parameters, gradients: gradients, learningRate: learningRate)
        if let mask { Self.zeroMasked(&parameters, mask: mask) }
        return loss
    }

    private static func zeroMasked(_ tensors: inout [String: Tensor], mask: [String: Tensor]) {
        for (name, keep) in mask {
            guard var tensor = tensors.removeValue(forKey: name) else { continue }
            zeroMasked(&tensor, keep: keep, name: name)
            tensors[name] = tensor
        }
    }

    private static func zeroMasked(_ parameters: inout ParameterSet, mask: [String: Tensor]) {
        for (name, keep) in mask {
            guard var tensor = parameters[name] else { continue }
            zeroMasked(&tensor, keep: keep, name: name)
            parameters[name] = tensor
        }
    }

    private static func zeroMasked(_ tensor: inout Tensor, keep: Tensor, name: String) {
        precondition(keep.shape == tensor.shape, "mask of \(name) has shape \(keep.shape), tensor \(tensor.shape)")
        tensor.scalars.withUnsafeMutableBufferPointer { values in
            keep.scalars.withUnsafeBufferPointer { keep in
                for index in 0..<values.count where keep[index] == 0 { values[index] = 0 }
            }
        }
    }
}

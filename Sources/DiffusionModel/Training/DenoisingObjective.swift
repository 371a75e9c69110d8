import Numerics

/// The DDPM training loss: noise clean images to random timesteps and score the model's noise
/// prediction by mean squared error, `mean((ε̂(√ᾱₜx₀ + √(1−ᾱₜ)ε, t) − ε)²)` over all elements
/// (diffusers' `F.mse_loss(noise_pred, noise)`).
public struct DenoisingObjective: Sendable {
    /// The network; only its architecture is used, the parameters are passed to each call.
    public let model: UNet2DModel
    /// The noise schedule.
    public let scheduler: DDPMScheduler

    /// An objective for `model`'s architecture under `scheduler`.
    public init(model: UNet2DModel, scheduler: DDPMScheduler) {
        self.model = model
        self.scheduler = scheduler
    }

    /// The loss and its gradient for every parameter.
    ///
    /// - Parameters:
    ///   - images: Clean images `[N, C, H, W]`.
    ///   - noise: ε, same shape.
    ///   - timesteps: One per image.
    public func lossAndGradients(parameters: ParameterSet, images: Tensor, noise: Tensor, timesteps: [Int]) -> (loss: Float, gradients: [String: Tensor]) {
        let tape = Tape()
        let variables = parameters.record(on: tape)
        let loss = record(on: tape, parameters: variables, images: images, noise: noise, timesteps: timesteps)
        let gradients = tape.backward(from: loss)
        var byName: [String: Tensor] = [:]
        for (name, variable) in variables {
            byName[name] = gradients[variable] ?? Tensor(zerosLike: tape.value(variable))
        }
        return (tape.value(loss).scalars[0], byName)
    }

    /// The loss alone (parameters are recorded as constants, so nothing is kept for a backward pass).
    public func loss(parameters: ParameterSet, images: Tensor, noise: Tensor, timesteps: [Int]) -> Float {
        let tape = Tape()
        let variables = parameters.record(on: tape, requiringGradients: false)
        return tape.value(record(on: tape, parameters: variables, images: images, noise: noise, timesteps: timesteps)).scalars[0]
    }

    private func record(on tape: Tape, parameters: [String: Variable], images: Tensor, noise: Tensor, timesteps: [Int]) -> Variable {
        let noisy = scheduler.addNoise(original: images, noise: noise, timesteps: timesteps).nchwToNHWC()
        let prediction = model.forward(
            sample: tape.constant(noisy), timesteps: timesteps.map(Float.init), parameters: parameters, tape: tape)
        return tape.meanSquaredError(prediction, tape.constant(noise.nchwToNHWC()))
    }
}

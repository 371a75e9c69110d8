import DiffusionModel
import Numerics
import Testing

/// Parameter gradients of the whole UNet against central finite differences, on tiny random
/// models covering both time-embedding modes, both downsampling paddings and input centering.
@Suite struct UNetGradientCheckTests {
    /// One or more parameters of every kind: conv (3x3, 1x1 shortcut, stride-2, upsampling),
    /// linear (time embedding, time projection, attention), group norm (ResNet, attention, output).
    static let checkedParameters = [
        "conv_in.weight", "time_embedding.linear_1.weight", "time_embedding.linear_2.bias",
        "down_blocks.0.resnets.0.norm1.weight", "down_blocks.0.resnets.0.time_emb_proj.weight",
        "down_blocks.0.downsamplers.0.conv.weight", "down_blocks.1.resnets.0.conv_shortcut.weight",
        "down_blocks.1.attentions.0.group_norm.bias", "down_blocks.1.attentions.0.to_q.weight",
        "down_blocks.1.attentions.0.to_v.bias", "mid_block.attentions.0.group_norm.weight",
        "mid_block.attentions.0.to_out.0.weight", "mid_block.resnets.1.norm2.weight",
        "up_blocks.0.attentions.1.to_k.weight", "up_blocks.0.upsamplers.0.conv.bias",
        "up_blocks.1.resnets.1.conv2.weight", "conv_norm_out.bias", "conv_out.weight",
    ]

    static let configurations: [(UNet2DConfig.TimeScaleShift, Int, Bool)] = [
        (.scaleShift, 1, false), (.default, 0, true),
    ]

    @Test(arguments: configurations)
    func parameterGradientsMatchFiniteDifferences(shift: UNet2DConfig.TimeScaleShift, padding: Int, center: Bool) throws {
        let config = try UNetTestSupport.tinyConfig(timeScaleShift: shift, downsamplePadding: padding, centerInputSample: center)
        let parameters = UNetTestSupport.randomizedParameters(for: config, seed: 11)
        let model = try UNet2DModel(config: config, parameters: parameters)
        let sample = UNetTestSupport.normalTensor([2, 4, 4, config.inChannels], seed: 12)
        let weights = UNetTestSupport.normalTensor(sample.shape, seed: 13)
        let timesteps: [Float] = [3, 700]

        // The objective Σ output ⊙ weights; its gradient seeds the tape.
        func objective(_ parameters: ParameterSet) -> Double {
            let tape = Tape()
            let output = model.forward(sample: tape.constant(sample), timesteps: timesteps,
                                       parameters: parameters.record(on: tape, requiringGradients: false), tape: tape)
            return zip(tape.value(output).scalars, weights.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        }
        let tape = Tape()
        let variables = parameters.record(on: tape)
        let output = model.forward(sample: tape.constant(sample), timesteps: timesteps, parameters: variables, tape: tape)
        let gradients = tape.backward(from: output, seed: weights)

        var generator = SeededGenerator(keys: 0xFD, UInt64(padding))
        let step: Float = 1e-2
        for name in Self.checkedParameters {
            let tensor = try #require(parameters[name], "no parameter \(name)")
            let gradient = try #require(variables[name].flatMap { gradients[$0] }, "no gradient for \(name)")
            let scale = UNetTestSupport.maxAbs(gradient)
            #expect(scale > 0, "\(name) gradient vanishes")
            for _ in 0..<2 {
                let index = Int(generator.nextWord() % UInt32(tensor.count))
                var shifted = parameters
                var values = tensor
                values.scalars[index] = tensor.scalars[index] + step
                shifted[name] = values
                let plus = objective(shifted)
                values.scalars[index] = tensor.scalars[index] - step
                shifted[name] = values
                let minus = objective(shifted)
                let difference = (plus - minus) / Double(2 * step)
                let error = abs(difference - Double(gradient.scalars[index]))
                #expect(error <= 1e-2 * max(Double(scale), 1e-2),
                        "\(name)[\(index)]: finite difference \(difference), tape \(gradient.scalars[index])")
            }
        }
    }
}

import DiffusionModel
import Foundation
import Numerics
import SafeTensors
import Testing

/// The UNet's output, loss and every parameter gradient against PyTorch + diffusers, on the
/// checkpoints diffusers wrote (see Fixtures/README.md).
@Suite struct UNetFixtureTests {
    /// float32 PyTorch itself varies by about 3e-6 between thread counts; 1e-4 leaves a wide
    /// margin while every real mistake moves the output by more than 1e-1.
    static let tolerance = 1e-4

    /// One training-loss evaluation on a fixture model, with gradients.
    struct Evaluation {
        let model: UNet2DModel
        let io: SafeTensorsFile
        let output: Tensor
        let loss: Float
        let gradients: [String: Tensor]
    }

    static func evaluate(_ name: String) throws -> Evaluation {
        let model = try UNet2DModel.load(unetFolder: UNetTestSupport.unetFolder(name))
        let io = try UNetTestSupport.ioFile(name)
        let noisy = try UNetTestSupport.tensor(io, "noisy").nchwToNHWC()
        let noise = try UNetTestSupport.tensor(io, "noise").nchwToNHWC()
        let timesteps = try io.int64s("timesteps").map(Float.init)

        let tape = Tape()
        let parameters = model.parameters.record(on: tape)
        let output = model.forward(sample: tape.constant(noisy), timesteps: timesteps, parameters: parameters, tape: tape)
        let loss = tape.meanSquaredError(output, tape.constant(noise))
        let gradients = tape.backward(from: loss)
        var parameterGradients: [String: Tensor] = [:]
        for (name, variable) in parameters { parameterGradients[name] = gradients[variable] }
        return Evaluation(model: model, io: io, output: tape.value(output).nhwcToNCHW(),
                          loss: tape.value(loss).scalars[0], gradients: parameterGradients)
    }

    @Test(arguments: UNetTestSupport.fixtureModels)
    func sinusoidalFeaturesMatchDiffusers(name: String) throws {
        let model = try UNet2DModel.load(unetFolder: UNetTestSupport.unetFolder(name))
        let io = try UNetTestSupport.ioFile(name)
        let features = sinusoidalTimestepEmbedding(
            timesteps: try io.int64s("timesteps").map(Float.init), dim: model.config.blockOutChannels[0],
            flipSinToCos: model.config.flipSinToCos, freqShift: model.config.freqShift)
        let reference = try UNetTestSupport.tensor(io, "t_emb")
        #expect(features.shape == reference.shape)
        #expect(UNetTestSupport.maxAbsDifference(features, reference) <= 1e-6)
    }

    @Test(arguments: UNetTestSupport.fixtureModels)
    func outputAndLossMatchDiffusers(name: String) throws {
        let evaluation = try Self.evaluate(name)
        let reference = try UNetTestSupport.tensor(evaluation.io, "model_output")
        #expect(evaluation.output.shape == reference.shape)
        let relative = UNetTestSupport.normRelativeError(evaluation.output, reference)
        let maxAbs = UNetTestSupport.maxAbsDifference(evaluation.output, reference)
        #expect(relative <= Self.tolerance, "model_output relative error \(relative)")
        #expect(Double(maxAbs) <= Self.tolerance * Double(UNetTestSupport.maxAbs(reference)), "model_output max abs error \(maxAbs)")

        let referenceLoss = try evaluation.io.floats("loss")[0]
        let lossError = abs(Double(evaluation.loss) - Double(referenceLoss)) / Double(referenceLoss)
        #expect(lossError <= Self.tolerance, "loss \(evaluation.loss) vs \(referenceLoss)")
    }

    @Test(arguments: UNetTestSupport.fixtureModels)
    func everyParameterGradientMatchesDiffusers(name: String) throws {
        let evaluation = try Self.evaluate(name)
        let gradientNames = evaluation.io.names.filter { $0.hasPrefix("grad.") }.map { String($0.dropFirst(5)) }
        #expect(Set(gradientNames) == Set(evaluation.model.parameters.names))
        let references = try gradientNames.map { try UNetTestSupport.tensor(evaluation.io, "grad.\($0)") }
        let scale = references.map(UNetTestSupport.maxAbs).max() ?? 0
        #expect(scale > 0)

        var worst = (name: "", error: 0.0)
        for (parameter, reference) in zip(gradientNames, references) {
            let ours = try #require(evaluation.gradients[parameter], "no gradient for \(parameter)")
            #expect(ours.shape == reference.shape, "\(parameter) gradient shape")
            if parameter.hasSuffix(".to_k.bias") {
                // Zero in exact arithmetic (softmax ignores a shift shared by all keys); only
                // rounding noise on both sides.
                #expect(UNetTestSupport.maxAbs(ours) <= 1e-6 * scale, "\(parameter) gradient should vanish")
                continue
            }
            let error = UNetTestSupport.normRelativeError(ours, reference)
            #expect(error <= Self.tolerance, "\(parameter) gradient relative error \(error)")
            if error > worst.error { worst = (parameter, error) }
        }
        #expect(!worst.name.isEmpty)
    }

    @Test(arguments: UNetTestSupport.fixtureModels)
    func loadedWeightsAreTheFileValues(name: String) throws {
        let folder = try UNetTestSupport.unetFolder(name)
        let model = try UNet2DModel.load(unetFolder: folder)
        let file = try SafeTensorsFile(contentsOf: folder.appendingPathComponent(UNet2DModel.weightsFileName))
        #expect(Set(file.names) == Set(model.parameters.names))
        for name in file.names {
            #expect(model.parameters[name]?.scalars == (try file.floats(name)), "\(name) differs from the file")
        }
        #expect(model.parameters.names == model.parameterSpecs.map(\.name))
    }
}

import DiffusionModel
import Numerics
import Testing

/// What a K-FAC layer observer receives from one forward/backward pass of the UNet.
@Suite struct UNetObserverTests {
    @Test(arguments: [UNet2DConfig.TimeScaleShift.default, .scaleShift])
    func everyLinearAndConvLayerIsObservedOnceWithConsistentRows(shift: UNet2DConfig.TimeScaleShift) throws {
        let config = try UNetTestSupport.tinyConfig(timeScaleShift: shift)
        let model = try UNet2DModel(config: config, parameters: UNetTestSupport.randomizedParameters(for: config, seed: 3))
        let batch = 2, side = 4
        let observer = UNetRecordingObserver()
        let tape = Tape()
        tape.layerObserver = observer
        let parameters = model.parameters.record(on: tape)
        let sample = UNetTestSupport.normalTensor([batch, side, side, config.inChannels], seed: 1)
        let output = model.forward(sample: tape.constant(sample), timesteps: [5, 900], parameters: parameters, tape: tape)
        let loss = tape.meanSquaredError(output, tape.constant(UNetTestSupport.normalTensor(sample.shape, seed: 2)))
        let gradients = tape.backward(from: loss)

        let layers = model.observedLayers
        #expect(observer.observations.count == layers.count)
        #expect(observer.observations.map(\.layer).sorted() == layers.map(\.name).sorted())
        let specs = Dictionary(uniqueKeysWithValues: model.parameterSpecs.map { ($0.name, $0.shape) })
        #expect(layers.count == specs.keys.filter { $0.hasSuffix(".weight") && specs[$0]?.count != 1 }.count)

        for layer in layers {
            let observation = try #require(observer.observations.first { $0.layer == layer.name })
            #expect(specs[layer.name + ".weight"] == layer.weightShape, "\(layer.name) weight shape")
            #expect(observation.examples == batch && observation.hasBias == layer.hasBias)
            let rows = observation.inputs.shape[0]
            #expect(observation.inputs.shape == [rows, layer.inputFeatures], "\(layer.name) inputs \(observation.inputs.shape)")
            #expect(observation.outputGradients.shape == [rows, layer.outputFeatures], "\(layer.name) output gradients")
            #expect(rows % batch == 0 && rows >= batch)
            if layer.name.hasPrefix("time_embedding") || layer.name.hasSuffix("time_emb_proj") {
                #expect(rows == batch, "\(layer.name): one row per example")
            }

            // Σ_rows g ⊗ a must be the weight gradient the tape computed.
            let weightGradient = try #require(parameters[layer.name + ".weight"].flatMap { gradients[$0] })
            let implied = Self.weightGradient(inputs: observation.inputs, outputGradients: observation.outputGradients)
            let scale = max(UNetTestSupport.maxAbs(weightGradient), 1e-12)
            #expect(UNetTestSupport.maxAbsDifference(implied, weightGradient.reshaped(implied.shape)) <= 1e-4 * scale,
                    "\(layer.name): observed rows do not explain the weight gradient")
        }
    }

    @Test func convolutionRowsFollowTheFeatureMapSizes() throws {
        let config = try UNetTestSupport.tinyConfig()
        let model = UNet2DModel(config: config, seed: 4)
        let observer = UNetRecordingObserver()
        let tape = Tape()
        tape.layerObserver = observer
        let output = model.forward(sample: tape.constant(UNetTestSupport.normalTensor([1, 8, 8, 2], seed: 5)), timesteps: [10],
                                   parameters: model.parameters.record(on: tape), tape: tape)
        _ = tape.backward(from: tape.meanSquaredError(output, tape.constant(Tensor(shape: [1, 8, 8, 2]))))
        let rows = Dictionary(uniqueKeysWithValues: observer.observations.map { ($0.layer, $0.inputs.shape[0]) })
        #expect(rows["conv_in"] == 64 && rows["down_blocks.0.downsamplers.0.conv"] == 16)
        #expect(rows["down_blocks.1.attentions.0.to_q"] == 16 && rows["mid_block.attentions.0.to_out.0"] == 16)
        #expect(rows["up_blocks.0.upsamplers.0.conv"] == 64 && rows["conv_out"] == 64)
    }

    /// `Σ_rows outer(g, a)` in Double, `[dOut, dIn]`.
    private static func weightGradient(inputs: Tensor, outputGradients: Tensor) -> Tensor {
        let (rows, inner, outer) = (inputs.shape[0], inputs.shape[1], outputGradients.shape[1])
        var sums = [Double](repeating: 0, count: outer * inner)
        for row in 0..<rows {
            for o in 0..<outer {
                let g = Double(outputGradients.scalars[row * outer + o])
                for i in 0..<inner { sums[o * inner + i] += g * Double(inputs.scalars[row * inner + i]) }
            }
        }
        return Tensor(shape: [outer, inner], scalars: sums.map { Float($0) })
    }
}

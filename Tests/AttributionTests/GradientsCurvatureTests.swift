@testable import Attribution
import DiffusionModel
import Numerics
import Testing

/// The curvature evidence produced alongside training gradients.
@Suite("Gradients: curvature evidence")
struct GradientsCurvatureTests {
    typealias Support = GradientsTestSupport

    @Test func sampleGradientsAreTheSumsOfTheirOwnRowsOuterProducts() throws {
        let settings = GradientSettings(projection: .fixed(inputs: 4, outputs: 3), drawSeed: 3, drawsPerExample: 2, maxBatch: 3)
        let engine = try Support.engine(settings)
        var batches: [LayerCurvatureBatch] = []
        _ = try engine.trainingGradients(images: Support.images(count: 2), ids: [1, 2]) { batches.append($0) }
        let layers = engine.layout.blocks.count
        #expect(batches.count == 2 * layers)  // 4 copies in batches of 3 and 1
        #expect(batches.map(\.samples) == Array(repeating: 3, count: layers) + Array(repeating: 1, count: layers))
        #expect(batches.prefix(layers).map(\.layer).sorted() == Array(0..<layers))

        for batch in batches {
            let block = engine.layout.blocks[batch.layer]
            let (kIn, kOut) = (block.projectedInputs, block.projectedOutputs)
            let rows = batch.inputs.shape[0]
            #expect(batch.inputs.shape == [rows, kIn] && batch.outputGradients.shape == [rows, kOut])
            #expect(batch.sampleGradients.shape == [batch.samples, kOut * kIn])
            let perSample = rows / batch.samples
            for sample in 0..<batch.samples {
                var expected = [Float](repeating: 0, count: kOut * kIn)
                for row in sample * perSample..<(sample + 1) * perSample {
                    for o in 0..<kOut {
                        for i in 0..<kIn {
                            expected[o * kIn + i] += batch.outputGradients.scalars[row * kOut + o] * batch.inputs.scalars[row * kIn + i]
                        }
                    }
                }
                let ours = Support.row(batch.sampleGradients, sample)
                #expect(Support.relativeError(ours, expected) < 1e-5 || expected.allSatisfy { $0 == 0 }, "layer \(block.layer)")
            }
        }
    }

    @Test func mcGGNSampleGradientsEqualTheTapeGradientOfTheirSeed() throws {
        let model = try Support.tinyModel()
        let settings = GradientSettings(projection: .identity, drawSeed: 6, drawsPerExample: 2)
        let engine = try Support.engine(settings, model: model)
        let images = Support.images(count: 2)
        // After the gradient backward pass on the same tape, as training runs it.
        var batches: [LayerCurvatureBatch] = []
        _ = try engine.trainingGradients(images: images, ids: [7, 8]) { batches.append($0) }
        #expect(batches.count == engine.layout.blocks.count && batches.allSatisfy { $0.samples == 4 })

        // The same copies and seeds, back-propagated on a tape of our own one sample at a time.
        let draws = MonteCarloDraws(seed: 6)
        let copies = NoisedCopies(images: images, keys: [7, 8], copies: 0..<4, drawsPerItem: 2,
                                  stream: MonteCarloDraws.Stream.training, draws: draws, scheduler: engine.scheduler)
        let seed = copies.generalisedGaussNewtonSeed(draws: draws)
        let perCopy = copies.elementsPerCopy
        for sample in 0..<4 {
            let tape = Tape()
            let parameters = model.parameters.record(on: tape)
            let prediction = model.forward(sample: tape.constant(copies.noisy), timesteps: copies.timesteps.map(Float.init),
                                           parameters: parameters, tape: tape)
            var sampleSeed = Tensor(zerosLike: seed)
            for index in sample * perCopy..<(sample + 1) * perCopy { sampleSeed.scalars[index] = seed.scalars[index] }
            let gradients = tape.backward(from: prediction, seed: sampleSeed)
            var byName: [String: Tensor] = [:]
            for (name, variable) in parameters { byName[name] = gradients[variable] ?? Tensor(zerosLike: tape.value(variable)) }
            let reference = try Support.flatten(byName, layers: model.observedLayers)

            let ours = try Self.sampleGradient(sample, of: batches, layers: engine.layout.blocks.count)
            #expect(Support.relativeError(ours, reference) < 1e-5, "sample \(sample)")
        }
        #expect(seed.scalars.contains { $0 != 0 })
    }

    @Test func empiricalFisherSampleGradientsAreEachCopysLossGradient() throws {
        let model = try Support.tinyModel()
        let settings = GradientSettings(projection: .identity, drawSeed: 4, drawsPerExample: 2, curvature: .empiricalFisher)
        let engine = try Support.engine(settings, model: model)
        let image = Support.image(Support.images(count: 1, seed: 2), 0)
        var batches: [LayerCurvatureBatch] = []
        try engine.curvatureEvidence(images: image, ids: [3]) { batches.append($0) }
        let objective = DenoisingObjective(model: model, scheduler: engine.scheduler)
        for draw in 0..<2 {
            let (timestep, noise) = MonteCarloDraws(seed: 4).timestepAndNoise(
                stream: MonteCarloDraws.Stream.training, key: 3, draw: draw, trainTimesteps: 1000, count: image.count)
            let (_, gradients) = objective.lossAndGradients(parameters: model.parameters, images: image,
                                                            noise: Tensor(shape: image.shape, scalars: noise), timesteps: [timestep])
            let reference = try Support.flatten(gradients, layers: model.observedLayers)
            let ours = try Self.sampleGradient(draw, of: batches, layers: engine.layout.blocks.count)
            #expect(Support.relativeError(ours, reference) < 1e-5, "draw \(draw)")
        }
    }

    @Test func accumulatingCurvatureLeavesTheGradientsUnchangedAndMatchesTheEvidenceAlone() throws {
        let settings = GradientSettings(projection: .fixed(inputs: 4, outputs: 4), drawSeed: 9, drawsPerExample: 3, maxBatch: 4)
        let engine = try Support.engine(settings)
        let images = Support.images(count: 2)
        var accumulator = CurvatureAccumulator(layout: engine.layout)
        let withCurvature = try engine.trainingGradients(images: images, ids: [1, 2], accumulating: &accumulator)
        let without = try engine.trainingGradients(images: images, ids: [1, 2])
        #expect(withCurvature == without)
        var alone = CurvatureAccumulator(layout: engine.layout)
        try engine.curvatureEvidence(images: images, ids: [1, 2]) { alone.add($0) }
        #expect(alone == accumulator)
        for layer in engine.layout.blocks.indices {
            #expect(accumulator.samples(layer: layer) == 6)
            #expect(accumulator.outputFactor(layer: layer) != nil)
        }
    }

    @Test func mcGGNSeedHasTheOutputHessiansScale() throws {
        // E[s²] = 2/D for the seed s = sqrt(2/D)·z: check the mean square over 4096 seed values.
        let images = Tensor(shape: [4, 1, 32, 32])
        let scheduler = try Support.scheduler()
        let copies = NoisedCopies(images: images, keys: [1, 2, 3, 4], copies: 0..<4, drawsPerItem: 1,
                                  stream: MonteCarloDraws.Stream.training, draws: MonteCarloDraws(seed: 0), scheduler: scheduler)
        let seed = copies.generalisedGaussNewtonSeed(draws: MonteCarloDraws(seed: 0))
        let meanSquare = seed.scalars.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(seed.count)
        #expect(abs(meanSquare * 1024 / 2 - 1) < 0.1)
    }

    /// Sample `sample`'s per-layer gradients from one batch per layer, concatenated in layer order.
    private static func sampleGradient(_ sample: Int, of batches: [LayerCurvatureBatch], layers: Int) throws -> [Float] {
        var flat: [Float] = []
        for layer in 0..<layers {
            let batch = try #require(batches.first { $0.layer == layer })
            flat += Support.row(batch.sampleGradients, sample)
        }
        return flat
    }
}

@testable import Attribution
import DiffusionModel
import Numerics
import Testing

/// The engine's vectors against the tape's parameter gradients of the same losses.
@Suite("Gradients: exactness against the tape")
struct GradientsExactnessTests {
    typealias Support = GradientsTestSupport

    @Test func identityProjectionGivesTheTapeGradient() throws {
        let model = try Support.tinyModel()
        let engine = try Support.engine(GradientSettings(projection: .identity, drawSeed: 11, drawsPerExample: 1), model: model)
        let images = Support.images(count: 2)
        let ids: [Int64] = [42, -3]
        let vectors = try engine.trainingGradients(images: images, ids: ids)
        #expect(vectors.shape == [2, engine.layout.dimension])
        #expect(engine.layout.dimension == model.observedLayers.reduce(0) { $0 + $1.outputFeatures * ($1.inputFeatures + ($1.hasBias ? 1 : 0)) })
        for (index, id) in ids.enumerated() {
            let reference = try Support.referenceGradient(
                model: model, scheduler: engine.scheduler, image: Support.image(images, index), key: UInt64(bitPattern: id),
                stream: MonteCarloDraws.Stream.training, draws: 1, drawSeed: 11)
            #expect(Support.relativeError(Support.row(vectors, index), reference) < 1e-5)
        }
    }

    @Test func kDrawsAverageTheSingleDrawGradients() throws {
        let model = try Support.tinyModel()
        let settings = GradientSettings(projection: .identity, drawSeed: 5, drawsPerExample: 3)
        let engine = try Support.engine(settings, model: model)
        let image = Support.image(Support.images(count: 1, seed: 8), 0)
        let vector = Support.row(try engine.trainingGradients(images: image, ids: [9]), 0)
        let mean = try Support.referenceGradient(model: model, scheduler: engine.scheduler, image: image, key: 9,
                                                 stream: MonteCarloDraws.Stream.training, draws: 3, drawSeed: 5)
        #expect(Support.relativeError(vector, mean) < 1e-5)

        // Draw 0 of three is the one draw of K = 1, so the K = 3 vector is not simply a rescaled K = 1 vector.
        var single = settings
        single.drawsPerExample = 1
        let first = Support.row(try Support.engine(single, model: model).trainingGradients(images: image, ids: [9]), 0)
        let firstReference = try Support.referenceGradient(model: model, scheduler: engine.scheduler, image: image, key: 9,
                                                           stream: MonteCarloDraws.Stream.training, draws: 1, drawSeed: 5)
        #expect(Support.relativeError(first, firstReference) < 1e-5)
        #expect(Support.relativeError(first, vector) > 1e-2)
    }

    @Test func randomProjectionEqualsProjectedExactGradient() throws {
        let model = try Support.tinyModel()
        let exact = try Support.engine(GradientSettings(projection: .identity, drawSeed: 2, drawsPerExample: 2), model: model)
        let projected = try Support.engine(
            GradientSettings(projection: .fixed(inputs: 3, outputs: 2), projectionSeed: 17, drawSeed: 2, drawsPerExample: 2),
            model: model)
        let images = Support.images(count: 2, seed: 4)
        let g = try exact.trainingGradients(images: images, ids: [1, 2])
        let gTilde = try projected.trainingGradients(images: images, ids: [1, 2])
        #expect(projected.layout.dimension < exact.layout.dimension)

        for example in 0..<2 {
            for (index, block) in projected.layout.blocks.enumerated() {
                let exactBlock = exact.layout.blocks[index]
                let start = example * exact.layout.dimension + exactBlock.offset
                let full = Tensor(shape: [exactBlock.outputDimension, exactBlock.inputDimension],
                                  scalars: Array(g.scalars[start..<(start + exactBlock.count)]))
                let expected = projected.projection.outputMatrix(layer: index)
                    .matmul(full).matmul(projected.projection.inputMatrix(layer: index), transposeOther: .transposed)
                let ours = Array(gTilde.scalars[(example * projected.layout.dimension + block.offset)...].prefix(block.count))
                #expect(Support.relativeError(ours, expected.scalars) < 1e-4, "layer \(block.layer)")
            }
        }
    }
}

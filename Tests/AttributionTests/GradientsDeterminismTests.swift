@testable import Attribution
import DiffusionModel
import Numerics
import Testing

/// An example's vector is a function of the example and the settings alone.
@Suite("Gradients: independent of batching")
struct GradientsDeterminismTests {
    typealias Support = GradientsTestSupport

    private let settings = GradientSettings(projection: .fixed(inputs: 4, outputs: 3), projectionSeed: 3, drawSeed: 1,
                                            drawsPerExample: 2)

    @Test func batchOfThreeMatchesSinglesInAnyOrder() throws {
        let engine = try Support.engine(settings)
        let images = Support.images(count: 3)
        let ids: [Int64] = [10, 20, 30]
        let batch = try engine.trainingGradients(images: images, ids: ids)
        for index in 0..<3 {
            let single = try engine.trainingGradients(images: Support.image(images, index), ids: [ids[index]])
            #expect(Support.relativeError(Support.row(batch, index), Support.row(single, 0)) < 1e-5)
        }
        // Reversed order: rows follow the examples.
        let reversedImages = Tensor(shape: images.shape, scalars: (0..<3).reversed().flatMap { Support.image(images, $0).scalars })
        let reversed = try engine.trainingGradients(images: reversedImages, ids: ids.reversed())
        for index in 0..<3 {
            #expect(Support.relativeError(Support.row(reversed, 2 - index), Support.row(batch, index)) < 1e-5)
        }
    }

    @Test func batchesSplittingAnExamplesDrawsGiveTheSameVectors() throws {
        var small = settings
        small.maxBatch = 3  // copies 0-2, 3-5: example 1's draws fall in both batches
        let images = Support.images(count: 3)
        let whole = try Support.engine(settings).trainingGradients(images: images, ids: [1, 2, 3])
        let split = try Support.engine(small).trainingGradients(images: images, ids: [1, 2, 3])
        #expect(Support.relativeError(split.scalars, whole.scalars) < 1e-5)
    }

    @Test func twoRunsAreIdentical() throws {
        let images = Support.images(count: 2)
        let first = try Support.engine(settings).trainingGradients(images: images, ids: [5, 6])
        let second = try Support.engine(settings).trainingGradients(images: images, ids: [5, 6])
        #expect(first == second)
        #expect(first.scalars.contains { $0 != 0 })
    }

    @Test func idsAndSeedsChangeTheDraws() throws {
        let image = Support.image(Support.images(count: 1), 0)
        let engine = try Support.engine(settings)
        let base = try engine.trainingGradients(images: image, ids: [5])
        #expect(try engine.trainingGradients(images: image, ids: [6]) != base)
        var reseeded = settings
        reseeded.drawSeed = 2
        #expect(try Support.engine(reseeded).trainingGradients(images: image, ids: [5]) != base)
    }

    @Test func badImagesAndIdsThrow() throws {
        let engine = try Support.engine(settings)
        #expect(throws: GradientError.keyCount(keys: 1, images: 2)) {
            try engine.trainingGradients(images: Support.images(count: 2), ids: [1])
        }
        #expect(throws: GradientError.self) {
            try engine.trainingGradients(images: Tensor(shape: [1, 2, 4, 4]), ids: [1])
        }
        #expect(throws: GradientError.self) {
            try engine.queryGradients(samples: Tensor(shape: [1, 1, 3, 3]))
        }
        #expect(throws: GradientError.self) {
            try engine.trainingGradients(images: Tensor(shape: [16]), ids: [1])
        }
    }
}

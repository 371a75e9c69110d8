import DiffusionModel
import ModelProperties
import Numerics
import Testing

@Suite struct HeldOutDiffusionLossTests {
    static func property(images: Tensor, draws: Int = 3, seed: UInt64 = 4, maxBatch: Int = 64) throws -> HeldOutDiffusionLoss {
        try HeldOutDiffusionLoss(images: images, schedulerConfig: PropertiesTestSupport.schedulerConfig, drawsPerImage: draws,
                                 seed: seed, maxBatch: maxBatch)
    }

    /// Every (image, draw) copy of `property`'s held-out images with its timestep and noise.
    static func copies(_ property: HeldOutDiffusionLoss, images indices: [Int]) -> (images: Tensor, noise: Tensor, timesteps: [Int]) {
        var clean: [Float] = [], noise: [Float] = [], timesteps: [Int] = []
        for image in indices {
            for draw in 0..<property.drawsPerImage {
                let (timestep, values) = property.draw(image: image, draw: draw)
                clean += PropertiesTestSupport.image(property.images, image).scalars
                noise += values
                timesteps.append(timestep)
            }
        }
        let shape = [timesteps.count] + property.images.shape.dropFirst()
        return (Tensor(shape: shape, scalars: clean), Tensor(shape: shape, scalars: noise), timesteps)
    }

    @Test func equalsTheDenoisingObjectiveOverAllDrawsAtOnce() throws {
        let model = try PropertiesTestSupport.tinyModel()
        let property = try Self.property(images: PropertiesTestSupport.glyphs(count: 5).images, maxBatch: 4)
        let all = Self.copies(property, images: Array(0..<5))
        let objective = DenoisingObjective(model: model, scheduler: property.scheduler)
        let direct = Double(objective.loss(parameters: model.parameters, images: all.images, noise: all.noise, timesteps: all.timesteps))
        let measured = property.measure(model: model, generated: nil)
        #expect(abs(measured - direct) < 1e-5 * direct)
        let unbatched = try Self.property(images: property.images, maxBatch: 1).measure(model: model, generated: nil)
        #expect(abs(unbatched - measured) < 1e-5 * direct)
    }

    @Test func drawsArePureFunctionsOfSeedImageAndDraw() throws {
        let images = PropertiesTestSupport.glyphs(count: 4).images
        let property = try Self.property(images: images)
        #expect(property.draw(image: 2, draw: 1).noise == (try Self.property(images: images, maxBatch: 1)).draw(image: 2, draw: 1).noise)
        #expect(property.draw(image: 2, draw: 1).noise != property.draw(image: 2, draw: 0).noise)
        #expect(property.draw(image: 2, draw: 1).noise != property.draw(image: 1, draw: 1).noise)
        #expect(property.draw(image: 2, draw: 1).noise != (try Self.property(images: images, seed: 5)).draw(image: 2, draw: 1).noise)
        let timesteps = (0..<4).flatMap { image in (0..<3).map { property.draw(image: image, draw: $0).timestep } }
        #expect(timesteps.allSatisfy { (0..<100).contains($0) } && Set(timesteps).count > 6)
    }

    /// `Σ_i weights[i] ∇ℓ_i · v` from the objective's gradients equals the directional finite
    /// difference of `F` along `v`: the target's weights and images make up `∇F`.
    @Test func gradientTargetReproducesTheDerivativeOfF() throws {
        let model = try PropertiesTestSupport.tinyModel()
        let property = try Self.property(images: PropertiesTestSupport.glyphs(count: 3).images, draws: 2)
        let target = property.gradientTarget(model: model, generated: nil)
        #expect(target.samples == property.images && target.weights == [1.0 / 3, 1.0 / 3, 1.0 / 3])

        var generator = SeededGenerator(keys: 77)
        let direction = model.parameters.entries.map { ($0.name, Tensor(shape: $0.tensor.shape, scalars: generator.normals(count: $0.tensor.count))) }
        let objective = DenoisingObjective(model: model, scheduler: property.scheduler)
        var predicted = 0.0
        for (image, weight) in target.weights.enumerated() {
            let copies = Self.copies(property, images: [image])
            let gradients = objective.lossAndGradients(parameters: model.parameters, images: copies.images, noise: copies.noise,
                                                       timesteps: copies.timesteps).gradients
            predicted += weight * direction.reduce(0) { $0 + Double(gradients[$1.0]!.dot($1.1)) }
        }
        func shifted(_ step: Float) throws -> UNet2DModel {
            try UNet2DModel(config: model.config, parameters: ParameterSet(zip(model.parameters.entries, direction).map { entry, delta in
                var tensor = entry.tensor
                tensor.add(delta.1, scaledBy: step)
                return (entry.name, tensor)
            }))
        }
        let step: Float = 1e-3
        let difference = (property.measure(model: try shifted(step), generated: nil) - property.measure(model: try shifted(-step), generated: nil))
            / (2 * Double(step))
        #expect(abs(predicted) > 1e-2)
        #expect(abs(difference - predicted) < 2e-2 * abs(predicted))
    }

    @Test func refusesEmptyHeldOutSetsAndInvalidSettings() throws {
        #expect(throws: PropertyError.emptyHeldOutSet(property: "held_out_loss")) {
            try Self.property(images: Tensor(shape: [0, 3, 8, 8]))
        }
        #expect(throws: PropertyError.invalidSetting(name: "drawsPerImage", value: "0", reason: "must be at least 1")) {
            try Self.property(images: PropertiesTestSupport.glyphs(count: 1).images, draws: 0)
        }
        var broken = PropertiesTestSupport.glyphs(count: 2).images
        broken.scalars[5] = .nan
        #expect(throws: PropertyError.nonFiniteImages(property: "held_out_loss")) { try Self.property(images: broken) }
    }
}

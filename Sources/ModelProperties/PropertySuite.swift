import DiffusionModel
import Numerics

/// The properties a Shapley refresh credits, measured together on one model.
///
/// Samples are generated once per measurement, from ``GenerationSettings/seed``, and every
/// property that reads samples reads the same ones; properties that do not read samples cost no
/// generation at all. With the same seed for every model (common random numbers), two coalitions'
/// values differ through their models only.
public struct PropertySuite: Sendable {
    /// The properties, in the order of every result.
    public let properties: [any ModelProperty]
    /// How samples are generated.
    public let generation: GenerationSettings
    /// The noise schedule the models are trained with, used for sampling.
    public let schedulerConfig: DDPMSchedulerConfig

    /// A suite of `properties` (at least one, names distinct); throws for invalid generation
    /// settings or a schedule that cannot take `generation.steps` steps.
    public init(properties: [any ModelProperty], generation: GenerationSettings, schedulerConfig: DDPMSchedulerConfig)
        throws(PropertyError) {
        guard !properties.isEmpty else { throw .noProperties }
        var seen = Set<String>()
        for property in properties where !seen.insert(property.name).inserted { throw .duplicatePropertyName(property.name) }
        try generation.validate()
        do {
            var scheduler = try DDPMScheduler(config: schedulerConfig)
            try scheduler.setTimesteps(generation.steps)
        } catch {
            throw .scheduler(error)
        }
        self.properties = properties
        self.generation = generation
        self.schedulerConfig = schedulerConfig
    }

    /// The properties' names, in order.
    public var names: [String] { properties.map(\.name) }
    /// Whether each property is better when larger, in order.
    public var higherIsBetter: [Bool] { properties.map(\.higherIsBetter) }
    /// Whether any property reads generated samples.
    public var usesGeneratedSamples: Bool { properties.contains { $0.usesGeneratedSamples } }

    /// The samples `[count, C, size, size]` the properties read, or nil when none reads samples.
    public func generateSamples(_ model: UNet2DModel) throws(PropertyError) -> Tensor? {
        guard let shape = try generationShape(model: model) else { return nil }
        let sampler = AncestralSampler(model: model, schedulerConfig: schedulerConfig)
        let samples: Tensor
        do {
            samples = try sampler.sample(count: generation.count, size: shape[1], steps: generation.steps,
                                         seed: generation.seed, batchSize: generation.batchSize)
        } catch {
            throw .generationFailed(reason: "\(error)")
        }
        guard samples.isFinite else { throw .generationFailed(reason: "the samples hold NaN or infinite pixels") }
        return samples
    }

    /// Every property's value for `model`, in order; samples are generated once.
    public func measure(_ model: UNet2DModel) throws(PropertyError) -> [Double] {
        let generated = try generateSamples(model)
        return try properties.map { (property) throws(PropertyError) -> Double in
            let value = property.measure(model: model, generated: property.usesGeneratedSamples ? generated : nil)
            guard value.isFinite else { throw .nonFiniteProperty(name: property.name, value: value) }
            return value
        }
    }

    /// Every property's gradient target for `model`, in order; samples are generated once.
    public func gradientTargets(_ model: UNet2DModel) throws(PropertyError) -> [PropertyGradientTarget] {
        let generated = try generateSamples(model)
        return try properties.map { (property) throws(PropertyError) -> PropertyGradientTarget in
            let target = property.gradientTarget(model: model, generated: property.usesGeneratedSamples ? generated : nil)
            guard target.weights.allSatisfy(\.isFinite) else { throw .nonFiniteGradientWeights(name: property.name) }
            return target
        }
    }
}

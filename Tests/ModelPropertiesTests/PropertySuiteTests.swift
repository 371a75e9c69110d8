import DiffusionModel
import ModelProperties
import Numerics
import Testing

@Suite struct PropertySuiteTests {
    static let generation = GenerationSettings(count: 6, steps: 3, seed: 11, batchSize: 4)

    static func suite(_ properties: [any ModelProperty], generation: GenerationSettings = generation) throws -> PropertySuite {
        try PropertySuite(properties: properties, generation: generation, schedulerConfig: PropertiesTestSupport.schedulerConfig)
    }

    @Test func generatesOnceAndHandsEveryReaderTheSameSamples() throws {
        let model = try PropertiesTestSupport.tinyModel()
        let first = RecordingProperty(name: "first", usesGeneratedSamples: true)
        let second = RecordingProperty(name: "second", usesGeneratedSamples: true, value: 2)
        let blind = RecordingProperty(name: "blind", usesGeneratedSamples: false, value: 3)
        let suite = try Self.suite([first, blind, second])
        #expect(try suite.measure(model) == [1, 3, 2])
        let samples = try #require(try suite.generateSamples(model))
        #expect(samples.shape == [6, 3, 8, 8])
        #expect(first.calls == [samples] && second.calls == [samples])
        #expect(blind.calls == [nil])
        // The batch size changes only rounding: image j always starts from the same noise.
        var oneAtATime = Self.generation
        oneAtATime.batchSize = 1
        let unbatched = try #require(try Self.suite([first], generation: oneAtATime).generateSamples(model))
        #expect(zip(unbatched.scalars, samples.scalars).allSatisfy { abs($0 - $1) < 1e-4 })
    }

    @Test func generatesNothingWhenNoPropertyReadsSamples() throws {
        // Without a sample size the model cannot say what to generate: a suite that tried would throw.
        let model = try PropertiesTestSupport.tinyModel(sampleSize: nil)
        let blind = RecordingProperty(name: "blind", usesGeneratedSamples: false, imageShape: nil)
        let suite = try Self.suite([blind])
        #expect(!suite.usesGeneratedSamples)
        #expect(try suite.generateSamples(model) == nil)
        #expect(try suite.measure(model) == [1])
        #expect(try suite.gradientTargets(model).map(\.weights) == [[1]])
        let reader = RecordingProperty(name: "reader", usesGeneratedSamples: true, imageShape: nil)
        #expect(throws: PropertyError.unknownImageSize) { try Self.suite([blind, reader]).measure(model) }
    }

    @Test func measuresTheRealPropertiesDeterministically() throws {
        let model = try PropertiesTestSupport.tinyModel()
        let suite = try Self.realSuite()
        #expect(suite.names == ["held_out_loss", "class_diversity", "kernel_distance"])
        #expect(suite.higherIsBetter == [false, true, false])
        let values = try suite.measure(model)
        #expect(values.allSatisfy { $0.isFinite })
        #expect(try suite.measure(model) == values)
        #expect(try suite.measure(try PropertiesTestSupport.tinyModel(seed: 8)) != values)
    }

    /// The suite's targets: the held-out images with weights 1/M, and for each sample property
    /// the suite's own samples with weights equal to −∂F/∂w_j by finite differences.
    @Test func gradientTargetsMatchFiniteDifferencesOnTheSuitesSamples() throws {
        let model = try PropertiesTestSupport.tinyModel()
        let suite = try Self.realSuite()
        let samples = try #require(try suite.generateSamples(model))
        let targets = try suite.gradientTargets(model)
        let heldOut = try #require(suite.properties[0] as? HeldOutDiffusionLoss)
        #expect(targets[0].samples == heldOut.images && targets[0].weights == Array(repeating: 0.25, count: 4))
        for (property, target) in zip(suite.properties.dropFirst(), targets.dropFirst()) {
            let sampleProperty = try #require(property as? any GeneratedSampleProperty)
            #expect(target.samples == samples)
            let derivatives = PropertiesTestSupport.massDerivatives(count: 6) { sampleProperty.value(generated: samples, masses: $0) }
            let scale = derivatives.map(abs).max() ?? 0
            #expect(scale > 0)
            for (weight, derivative) in zip(target.weights, derivatives) { #expect(abs(weight + derivative) < 1e-6 * scale) }
        }
    }

    @Test func refusesInvalidSuitesAndNonFiniteResults() throws {
        let model = try PropertiesTestSupport.tinyModel()
        let one = RecordingProperty(name: "one", usesGeneratedSamples: false)
        #expect(throws: PropertyError.noProperties) { try Self.suite([]) }
        #expect(throws: PropertyError.duplicatePropertyName("one")) { try Self.suite([one, one]) }
        #expect(throws: PropertyError.invalidSetting(name: "count", value: "1", reason: "at least 2 samples are needed")) {
            try Self.suite([one], generation: GenerationSettings(count: 1, steps: 3))
        }
        #expect(throws: PropertyError.scheduler(.invalidInferenceStepCount(requested: 101, trainTimesteps: 100))) {
            try Self.suite([one], generation: GenerationSettings(count: 2, steps: 101))
        }
        let broken = RecordingProperty(name: "broken", usesGeneratedSamples: false, value: .nan, weight: .infinity)
        let failure = #expect(throws: PropertyError.self) { try Self.suite([broken]).measure(model) }
        #expect(failure?.description == "property \"broken\" is nan; the model has likely diverged")
        #expect(throws: PropertyError.nonFiniteGradientWeights(name: "broken")) { try Self.suite([broken]).gradientTargets(model) }
        let grey = RecordingProperty(name: "grey", usesGeneratedSamples: true, imageShape: [1, 8, 8])
        #expect(throws: PropertyError.imageShapeMismatch(property: "grey", found: [1, 8, 8], expected: [3, 8, 8])) {
            try Self.suite([grey]).measure(model)
        }
        let large = RecordingProperty(name: "large", usesGeneratedSamples: true, imageShape: [3, 16, 16])
        let small = RecordingProperty(name: "small", usesGeneratedSamples: true)
        #expect(throws: PropertyError.imageShapeMismatch(property: "large", found: [3, 16, 16], expected: [3, 8, 8])) {
            try Self.suite([small, large]).measure(model)
        }
    }

    @Test func reportsADivergedModelAsAFailedGeneration() throws {
        let model = try PropertiesTestSupport.tinyModel()
        let diverged = try UNet2DModel(config: model.config, parameters: ParameterSet(model.parameters.entries.map {
            ($0.name, Tensor(shape: $0.tensor.shape, repeating: .nan))
        }))
        let reader = RecordingProperty(name: "reader", usesGeneratedSamples: true)
        #expect(throws: PropertyError.generationFailed(reason: "the samples hold NaN or infinite pixels")) {
            try Self.suite([reader]).measure(diverged)
        }
        #expect(reader.calls.isEmpty)
    }

    /// Held-out loss on 4 glyph images, class diversity under a quick classifier, and the kernel
    /// distance to 5 held-out glyph images.
    static func realSuite() throws -> PropertySuite {
        let heldOut = PropertiesTestSupport.glyphs(count: 5, first: 7_000).images
        let train = PropertiesTestSupport.glyphs(count: 100)
        let classifier = try ImageClassifier.train(images: train.images, labels: train.labels, classes: 8,
                                                   settings: ClassifierSettings(iterations: 10))
        return try Self.suite([
            try HeldOutDiffusionLoss(images: PropertiesTestSupport.glyphs(count: 4, first: 8_000).images,
                                     schedulerConfig: PropertiesTestSupport.schedulerConfig, drawsPerImage: 2),
            ClassDiversity(classifier: classifier),
            try KernelDistance(heldOut: heldOut, featureMap: try FixedFeatureMap(inputShape: [3, 8, 8], dimension: 32)),
        ])
    }
}

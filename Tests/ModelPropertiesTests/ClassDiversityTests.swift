import DiffusionModel
import Foundation
import ModelProperties
import Numerics
import Testing

@Suite struct ClassDiversityTests {
    @Test func entropyOfUniformPredictionsIsLogK() {
        let uniform = Array(repeating: Array(repeating: 1.0 / 8, count: 8), count: 5)
        #expect(abs(ClassDiversity.entropyOfMean(uniform, masses: Array(repeating: 1, count: 5)) - log(8.0)) < 1e-12)
    }

    @Test func entropyOfOneClassIsZero() {
        let oneClass = Array(repeating: [0, 0, 1.0, 0], count: 6)
        #expect(ClassDiversity.entropyOfMean(oneClass, masses: Array(repeating: 1, count: 6)) == 0)
    }

    @Test func entropyOfTwoConfidentClassesIsLogTwoAndFollowsMasses() {
        let rows = [[1.0, 0, 0], [1.0, 0, 0], [0, 1.0, 0], [0, 1.0, 0]]
        #expect(abs(ClassDiversity.entropyOfMean(rows, masses: [1, 1, 1, 1]) - log(2.0)) < 1e-12)
        // Masses 3:1 between the classes give q̄ = (3/4, 1/4).
        let skewed = -(0.75 * log(0.75) + 0.25 * log(0.25))
        #expect(abs(ClassDiversity.entropyOfMean(rows, masses: [3, 3, 1, 1]) - skewed) < 1e-12)
        #expect(ClassDiversity.entropyOfMean(rows, masses: [6, 6, 2, 2]) == ClassDiversity.entropyOfMean(rows, masses: [3, 3, 1, 1]))
    }

    @Test func measureIsTheEntropyOfTheClassifiersMeanPrediction() throws {
        let (property, samples) = try Self.diversityAndSamples()
        let expected = ClassDiversity.entropyOfMean(property.classifier.probabilities(samples), masses: Array(repeating: 1, count: 12))
        #expect(property.measure(model: try PropertiesTestSupport.tinyModel(), generated: samples) == expected)
        #expect(expected > 0.5 && expected < log(8.0))
    }

    @Test func gradientWeightsMatchFiniteDifferencesOfReweightedEntropy() throws {
        let (property, samples) = try Self.diversityAndSamples()
        let target = property.gradientTarget(model: try PropertiesTestSupport.tinyModel(), generated: samples)
        let derivatives = PropertiesTestSupport.massDerivatives(count: 12) { property.value(generated: samples, masses: $0) }
        let scale = derivatives.map(abs).max() ?? 0
        #expect(scale > 1e-3)
        #expect(abs(derivatives.reduce(0, +)) < 1e-7 * scale * 12)
        for (weight, derivative) in zip(target.weights, derivatives) { #expect(abs(weight + derivative) < 1e-6 * scale) }
        #expect(target.samples == samples)
    }

    /// The diversity under a quickly trained glyph classifier, and 12 glyph images to measure.
    static func diversityAndSamples() throws -> (ClassDiversity, Tensor) {
        let train = PropertiesTestSupport.glyphs(count: 200)
        let classifier = try ImageClassifier.train(images: train.images, labels: train.labels, classes: 8,
                                                   settings: ClassifierSettings(iterations: 20))
        return (ClassDiversity(classifier: classifier), PropertiesTestSupport.glyphs(count: 12, first: 3_000).images)
    }
}

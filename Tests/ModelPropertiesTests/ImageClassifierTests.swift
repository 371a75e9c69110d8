import DiffusionModel
import Foundation
import ModelProperties
import Numerics
import Testing

@Suite struct ImageClassifierTests {
    static let classes = GlyphShape.allCases.count

    static func settings() throws -> ClassifierSettings {
        ClassifierSettings(iterations: 100, features: try FixedFeatureMap(inputShape: [3, 8, 8], dimension: 512))
    }

    @Test func reachesHighHeldOutAccuracyOnGlyphs() throws {
        let train = PropertiesTestSupport.glyphs(count: 1200)
        let test = PropertiesTestSupport.glyphs(count: 400, first: 10_000)
        let classifier = try ImageClassifier.train(images: train.images, labels: train.labels, classes: Self.classes,
                                                   settings: Self.settings())
        // Chance is 1/8; shapes at 8×8 with jittered position, size and colour.
        #expect(classifier.accuracy(images: test.images, labels: test.labels) > 0.8)
        #expect(classifier.accuracy(images: train.images, labels: train.labels) > 0.95)
    }

    @Test func trainingIsDeterministicAndGivesDistributions() throws {
        let train = PropertiesTestSupport.glyphs(count: 200)
        let probe = PropertiesTestSupport.glyphs(count: 20, first: 5_000).images
        let settings = ClassifierSettings(iterations: 20)
        let first = try ImageClassifier.train(images: train.images, labels: train.labels, classes: Self.classes, settings: settings)
        let second = try ImageClassifier.train(images: train.images, labels: train.labels, classes: Self.classes, settings: settings)
        let rows = first.probabilities(probe)
        #expect(rows == second.probabilities(probe))
        #expect(rows.count == 20)
        for row in rows {
            #expect(row.count == Self.classes)
            #expect(row.allSatisfy { $0 > 0 && $0 < 1 })
            #expect(abs(row.reduce(0, +) - 1) < 1e-12)
        }
    }

    @Test func moreIterationsLowerTheTrainingLoss() throws {
        let train = PropertiesTestSupport.glyphs(count: 200)
        func loss(_ iterations: Int) throws -> Double {
            let classifier = try ImageClassifier.train(images: train.images, labels: train.labels, classes: Self.classes,
                                                       settings: ClassifierSettings(iterations: iterations, l2: 0))
            let rows = classifier.probabilities(train.images)
            return zip(rows, train.labels).reduce(0) { $0 - log($1.0[$1.1]) } / Double(rows.count)
        }
        let losses = try [1, 10, 50].map(loss)
        #expect(losses[0] > losses[1] && losses[1] > losses[2])
        #expect(abs(losses[0] - log(Double(Self.classes))) < 0.5)
    }

    @Test func refusesInvalidDataAndSettings() throws {
        let data = PropertiesTestSupport.glyphs(count: 10)
        func error(labels: [Int]? = nil, classes: Int = 8, settings: ClassifierSettings = ClassifierSettings()) -> PropertyError? {
            do {
                _ = try ImageClassifier.train(images: data.images, labels: labels ?? data.labels, classes: classes, settings: settings)
                return nil
            } catch { return error }
        }
        #expect(error(labels: [0, 1]) == .invalidTrainingData(reason: "2 labels for 10 images"))
        #expect(error(labels: Array(repeating: 9, count: 10)) == .invalidTrainingData(reason: "label 9 lies outside 0..<8"))
        #expect(error(classes: 1) == .invalidSetting(name: "classes", value: "1", reason: "at least 2 classes are needed"))
        #expect(error(settings: ClassifierSettings(iterations: 0)) == .invalidSetting(name: "iterations", value: "0", reason: "must be at least 1"))
        #expect(error(settings: ClassifierSettings(l2: .nan))?.description.contains("\"l2\"") == true)
        #expect(throws: PropertyError.tooFewImages(property: "classifier", needed: 1, found: 0)) {
            try ImageClassifier.train(images: Tensor(shape: [0, 3, 8, 8]), labels: [], classes: 8)
        }
        let wrongMap = try FixedFeatureMap(inputShape: [3, 16, 16], dimension: 8)
        #expect(error(settings: ClassifierSettings(features: wrongMap)) == .imageShapeMismatch(property: "classifier", found: [3, 8, 8], expected: [3, 16, 16]))
    }
}

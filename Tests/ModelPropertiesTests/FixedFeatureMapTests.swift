import ModelProperties
import Numerics
import Testing

@Suite struct FixedFeatureMapTests {
    @Test func isAFixedFunctionOfItsSeedAndOfEachImageAlone() throws {
        let images = PropertiesTestSupport.glyphs(count: 6).images
        let map = try FixedFeatureMap(inputShape: [3, 8, 8], dimension: 32, seed: 1)
        let features = map.features(images)
        #expect(features.shape == [6, 32])
        #expect(features == (try FixedFeatureMap(inputShape: [3, 8, 8], dimension: 32, seed: 1)).features(images))
        #expect(features != (try FixedFeatureMap(inputShape: [3, 8, 8], dimension: 32, seed: 2)).features(images))
        // Image 3 alone gets the features it gets in the batch (up to the GEMM's rounding).
        let alone = map.features(PropertiesTestSupport.image(images, 3)).scalars
        #expect(zip(alone, features.scalars[96..<128]).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    @Test func isARectifiedRandomProjection() throws {
        let map = try FixedFeatureMap(inputShape: [3, 8, 8], dimension: 256)
        let image = PropertiesTestSupport.glyphs(count: 1).images
        let features = map.features(image).scalars
        #expect(features.allSatisfy { $0 >= 0 })
        let active = features.count { $0 > 0 }
        #expect(active > 64 && active < 192)
        // Affine where active: equal steps of the input scale give equal steps of an active feature.
        var scaled = image
        scaled.scale(by: 1.001)
        var further = image
        further.scale(by: 1.002)
        let (a, b) = (map.features(scaled).scalars, map.features(further).scalars)
        for index in features.indices where features[index] > 0.01 {
            #expect(abs((b[index] - a[index]) - (a[index] - features[index])) < 1e-5)
        }
    }

    @Test func describesItsSettingsNotItsMatrices() throws {
        let map = try FixedFeatureMap(inputShape: [3, 8, 8], dimension: 512, seed: 9)
        #expect(map.description == "random ReLU features [3, 8, 8] -> 512 seed 9")
        #expect("\(ClassifierSettings(features: map))".count < 200)
    }

    @Test func refusesInvalidShapesAndDimensions() {
        #expect(throws: PropertyError.self) { try FixedFeatureMap(inputShape: [8, 8], dimension: 4) }
        #expect(throws: PropertyError.invalidSetting(name: "dimension", value: "0", reason: "must be at least 1")) {
            try FixedFeatureMap(inputShape: [3, 8, 8], dimension: 0)
        }
    }
}

import DiffusionModel
import ModelProperties
import Numerics
import Testing

@Suite struct KernelDistanceTests {
    static func distance(heldOut: Tensor) throws -> KernelDistance {
        try KernelDistance(heldOut: heldOut, featureMap: try FixedFeatureMap(inputShape: [3, 8, 8], dimension: 64, seed: 5))
    }

    @Test func equalsTheUnbiasedMMDComputedByBruteForce() throws {
        let heldOut = PropertiesTestSupport.glyphs(count: 7).images
        let generated = PropertiesTestSupport.glyphs(count: 5, first: 900).images
        let distance = try Self.distance(heldOut: heldOut)
        let x = Self.rows(distance.featureMap.features(generated)), y = Self.rows(distance.featureMap.features(heldOut))
        func k(_ a: [Double], _ b: [Double]) -> Double {
            let base = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } / Double(a.count) + 1
            return base * base * base
        }
        var xx = 0.0, yy = 0.0, xy = 0.0
        for i in x.indices { for j in x.indices where i != j { xx += k(x[i], x[j]) } }
        for i in y.indices { for j in y.indices where i != j { yy += k(y[i], y[j]) } }
        for a in x { for b in y { xy += k(a, b) } }
        let expected = xx / 20 + yy / 42 - 2 * xy / 35
        let measured = distance.measure(model: try PropertiesTestSupport.tinyModel(), generated: generated)
        #expect(abs(measured - expected) < 1e-5 * max(1, abs(expected)))
    }

    @Test func isNearZeroForOneDistributionAndClearlyPositiveForAnother() throws {
        let distance = try Self.distance(heldOut: PropertiesTestSupport.glyphs(count: 60).images)
        let units = Array(repeating: 1.0, count: 60)
        let same = distance.value(generated: PropertiesTestSupport.glyphs(count: 60, first: 20_000).images, masses: units)
        let discs = distance.value(generated: PropertiesTestSupport.glyphs(of: .disc, count: 60, first: 20_000), masses: units)
        var generator = SeededGenerator(keys: 42)
        let noise = Tensor(shape: [60, 3, 8, 8], scalars: (0..<(60 * 192)).map { _ in 2 * generator.nextUniform() - 1 })
        let random = distance.value(generated: noise, masses: units)
        #expect(discs > 0 && random > discs)
        #expect(abs(same) < 0.1 * discs)
    }

    @Test func gradientWeightsMatchFiniteDifferencesOfReweightedMMD() throws {
        let distance = try Self.distance(heldOut: PropertiesTestSupport.glyphs(count: 9).images)
        let generated = PropertiesTestSupport.glyphs(count: 8, first: 500).images
        let target = distance.gradientTarget(model: try PropertiesTestSupport.tinyModel(), generated: generated)
        let derivatives = PropertiesTestSupport.massDerivatives(count: 8) { distance.value(generated: generated, masses: $0) }
        let scale = derivatives.map(abs).max() ?? 0
        #expect(scale > 1e-4)
        for (weight, derivative) in zip(target.weights, derivatives) { #expect(abs(weight + derivative) < 1e-6 * scale) }
        #expect(abs(target.weights.reduce(0, +)) < 1e-9 * scale)
        // Self-normalised: scaling every mass changes nothing.
        let masses = (1...8).map { Double($0) / 4 }
        let scaled = distance.value(generated: generated, masses: masses.map { 3 * $0 })
        #expect(abs(distance.value(generated: generated, masses: masses) - scaled) < 1e-12 * max(1, abs(scaled)))
    }

    @Test func refusesTooFewOrMisshapenHeldOutImages() throws {
        let map = try FixedFeatureMap(inputShape: [3, 8, 8], dimension: 4)
        #expect(throws: PropertyError.tooFewImages(property: "kernel_distance", needed: 2, found: 1)) {
            try KernelDistance(heldOut: PropertiesTestSupport.glyphs(count: 1).images, featureMap: map)
        }
        #expect(throws: PropertyError.imageShapeMismatch(property: "kernel_distance", found: [3, 16, 16], expected: [3, 8, 8])) {
            try KernelDistance(heldOut: PropertiesTestSupport.glyphs(count: 3, size: 16).images, featureMap: map)
        }
    }

    static func rows(_ matrix: Tensor) -> [[Double]] {
        (0..<matrix.shape[0]).map { row in matrix.scalars[row * matrix.shape[1]..<(row + 1) * matrix.shape[1]].map(Double.init) }
    }
}

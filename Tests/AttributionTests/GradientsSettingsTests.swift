import Attribution
import Foundation
import Testing

@Suite("Gradients: settings")
struct GradientsSettingsTests {
    @Test func codableRoundTrip() throws {
        let settings = GradientSettings(projection: .fixed(inputs: 16, outputs: 8), projectionSeed: 3, drawSeed: 4, drawsPerExample: 5,
                                        queryDraws: 250, measurement: .elbo, maxBatch: 32, curvature: .empiricalFisher)
        let decoded = try JSONDecoder().decode(GradientSettings.self, from: JSONEncoder().encode(settings))
        #expect(decoded == settings)
        let identity = GradientSettings(projection: .identity)
        #expect(try JSONDecoder().decode(GradientSettings.self, from: JSONEncoder().encode(identity)) == identity)
    }

    @Test func fingerprintNamesWhatStoredDataDependsOn() {
        let settings = GradientSettings()
        #expect(settings.fingerprint
                == "gradients-v1 projection=8x8 projection-seed=0 draw-seed=0 draws=4 curvature=mcGGN")
        var batch = settings
        batch.maxBatch = 7
        batch.queryDraws = 9
        batch.measurement = .elbo
        #expect(batch.fingerprint == settings.fingerprint)
        var draws = settings
        draws.drawsPerExample = 5
        var projection = settings
        projection.projection = .identity
        var curvature = settings
        curvature.curvature = .empiricalFisher
        let fingerprints = Set([settings, draws, projection, curvature].map(\.fingerprint))
        #expect(fingerprints.count == 4)
    }

    @Test func invalidCountsAreRefused() {
        #expect(throws: GradientError.self) { try GradientSettings(drawsPerExample: 0).validate() }
        #expect(throws: GradientError.self) { try GradientSettings(maxBatch: -1).validate() }
        #expect(throws: GradientError.self) { try GradientSettings(projection: .fixed(inputs: 0, outputs: 4)).validate() }
        #expect(throws: Never.self) { try GradientSettings().validate() }
    }
}

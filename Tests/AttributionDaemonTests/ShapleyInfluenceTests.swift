@testable import AttributionDaemon
import AttributionProtocol
import AttributionStore
import DiffusionModel
import Foundation
import Indexing
import Numerics
import Testing

/// The influence estimator: no coalitions, every property valued from the indexed gradients,
/// and the held-out loss's values exactly the engine's contributor totals, scaled.
@Suite struct ShapleyInfluenceTests {
    @Test func influenceValuesComeFromTheIndexedGradients() async throws {
        let harness = try await ShapleyHarness.make()
        defer { harness.remove() }
        let service = harness.service()
        let router = harness.router(service)
        try await harness.running(service) {
            try await harness.refresh(router, ShapleyRefreshParams(estimator: .influence))
        }
        let valuations = try await ShapleyHarness.valuations(router, estimator: .influence)
        #expect(valuations.map(\.property).sorted() == ShapleyRefreshTests.properties.sorted())
        for valuation in valuations {
            #expect(valuation.sampling == .auto && valuation.coalitions == 0 && valuation.coalitionsReused == 0 && valuation.step == 2)
            #expect(valuation.efficiencyGap < 1e-9)
            #expect(valuation.contributors.allSatisfy { $0.value.isFinite && $0.standardError.isFinite && $0.standardError >= 0 })
        }
        #expect(try harness.games().isEmpty && harness.prunedFiles().isEmpty)

        // value(c) = −(1/N) Σ_j (1/M) T(x_j, c) over the M held-out images, N = 18 training examples.
        let heldOut = try DataShard.read(contentsOf: harness.testRun.run.dataFolder
            .appendingPathComponent(DataShardFileName.name(.heldOut, number: 0))).images
        let totals = try await onOwnThread {
            try CachedAttributor(run: harness.testRun.run, store: harness.store, settings: harness.settings).attribute(
                AttributionQuery(samples: heldOut, topK: 1, checkpoints: .steps([2]), queryDraws: MethodsTestRun.queryDraws))
        }
        let loss = try #require(valuations.first { $0.property == "held_out_loss" })
        let count = Double(heldOut.shape[0])
        for contributor in loss.contributors {
            let sum = totals.samples.reduce(0.0) { sum, sample in
                sum + (sample.contributors.first { $0.contributor == contributor.contributor }?.score ?? 0) / count
            }
            let expected = -sum / 18
            #expect(abs(contributor.value - expected) <= 1e-9 * max(abs(expected), 1e-12), "contributor \(contributor.contributor)")
        }
    }
}

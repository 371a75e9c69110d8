@testable import AttributionDaemon
import AttributionProtocol
import AttributionStore
import DiffusionModel
import Foundation
import Indexing
import Testing

/// Refreshes through the router and the valuation thread on a tiny indexed run: every property
/// valued with efficiency, coalitions reused by later refreshes, games and pruned models thrown
/// away when the data changes.
@Suite struct ShapleyRefreshTests {
    static let properties = ["held_out_loss", "class_diversity", "kernel_distance"]

    @Test func refreshValuesEveryPropertyThenReusesItsCoalitions() async throws {
        let harness = try await ShapleyHarness.make()
        defer { harness.remove() }
        let counter = CoalitionCounter()
        let service = harness.service(observer: counter.observer)
        counter.attach(service)
        let router = harness.router(service)
        try await harness.running(service) {
            let answer = try await harness.refresh(router, ShapleyRefreshParams())
            #expect(!answer.alreadyQueued && answer.estimator == .sparsifiedFineTuning && answer.sampling == .auto)
            #expect(answer.properties == Self.properties && answer.targetStandardError == 0.05)
            let first = try await ShapleyHarness.valuations(router)
            #expect(first.map(\.property).sorted() == Self.properties.sorted())
            for valuation in first {
                #expect(valuation.estimator == .sparsifiedFineTuning && valuation.sampling == .exact && valuation.step == 2)
                #expect(valuation.coalitions == 8 && valuation.coalitionsReused == 0 && valuation.reachedTarget)
                #expect(valuation.efficiencyGap < 1e-9, "\(valuation.property): Σ values ≠ F(all) − F(∅)")
                #expect(valuation.higherIsBetter == (valuation.property == "class_diversity"))
                #expect(valuation.contributors.map(\.contributor) == [0, 1, 2])
                #expect(valuation.contributors.map(\.name) == ["alice", "bob", "carol"])
                #expect(valuation.contributors.allSatisfy { $0.examples == 6 && $0.standardError == 0 })
                #expect(valuation.grandValue != valuation.emptyValue)
            }
            #expect(counter.count == 8)
            #expect(try harness.games().count == 1)
            #expect(harness.prunedFiles().count == 1 && harness.prunedFiles()[0].hasPrefix("pruned-"))

            try await harness.refresh(router, ShapleyRefreshParams())
            let second = try await ShapleyHarness.valuations(router)
            #expect(counter.count == 8, "the second refresh evaluated coalitions again")
            #expect(second.allSatisfy { $0.coalitions == 8 && $0.coalitionsReused == 8 })
            #expect(second.map { $0.contributors.map(\.value) } == first.map { $0.contributors.map(\.value) })

            let status = try service.status()
            #expect(status.running == nil && status.queued == 0 && status.lastError == nil && status.lastCompletedAt != nil)
            let reported = try #require(try await ShapleyHarness.call(router, .status, NoParams(), as: StatusResult.self).result?.shapley)
            #expect(reported.queued == 0 && reported.running == nil && reported.lastError == nil)
            // JSON keeps whole seconds of the completion time.
            #expect(abs(try #require(reported.lastCompletedAt).timeIntervalSince(try #require(status.lastCompletedAt))) < 1)
        }
    }

    @Test func equalRequestsJoinAndATighterTargetOnlyAddsCoalitions() async throws {
        let harness = try await ShapleyHarness.make()
        defer { harness.remove() }
        let counter = CoalitionCounter()
        let service = harness.service(observer: counter.observer)
        let router = harness.router(service)
        let loose = ShapleyRefreshParams(properties: ["held_out_loss"], sampling: .permutation, targetStandardError: 1)
        // Queued while the valuation thread is not running: an equal request joins the first.
        let queued = try #require(try await ShapleyHarness.call(router, .shapleyRefresh, loose, as: ShapleyRefreshResult.self).result)
        let joined = try #require(try await ShapleyHarness.call(router, .shapleyRefresh, loose, as: ShapleyRefreshResult.self).result)
        #expect(!queued.alreadyQueued && joined.alreadyQueued && joined.job == queued.job)
        #expect(try service.status().queued == 1)

        try await harness.running(service) {
            try await harness.waitUntilIdle()
            let first = try #require(try await ShapleyHarness.valuations(router).first)
            #expect(first.sampling == .permutation && first.coalitionsReused == 0 && first.coalitions == counter.count)
            // Chosen for this seed: a loose target stops before every coalition is known.
            #expect(first.coalitions < 8 && first.efficiencyGap < 1e-9)

            try await harness.refresh(router, loose)
            let again = try #require(try await ShapleyHarness.valuations(router).first)
            #expect(again.coalitions == first.coalitions && again.coalitionsReused == first.coalitions)
            #expect(counter.count == first.coalitions)

            var tight = loose
            tight.targetStandardError = 0.001
            let answer = try await harness.refresh(router, tight)
            #expect(!answer.alreadyQueued && answer.job > queued.job)
            let tighter = try #require(try await ShapleyHarness.valuations(router).first)
            #expect(tighter.coalitionsReused == first.coalitions && tighter.coalitions > first.coalitions)
            #expect(counter.count == tighter.coalitions, "a stored coalition was evaluated again")
            #expect(try harness.games().count == 1)
        }
    }

    @Test func newDataMakesOldGamesStaleAndOnlyASuccessfulRefreshDeletesThem() async throws {
        let harness = try await ShapleyHarness.make()
        defer { harness.remove() }
        let service = harness.service()
        let router = harness.router(service)
        try await harness.running(service) {
            try await harness.refresh(router, ShapleyRefreshParams(properties: ["held_out_loss"]))
            let oldGame = try #require(try harness.games().first)
            #expect(harness.prunedFiles().count == 1)

            let data = harness.testRun.run.dataFolder
            try MethodsTestRun.writeShard(data.appendingPathComponent(DataShardFileName.name(.training, number: 4)), first: 30)
            try await onOwnThread { try harness.testRun.index(harness.store) }
            // A refresh that fails (its held-out shard is gone) reports why and deletes nothing.
            try FileManager.default.removeItem(at: data.appendingPathComponent(DataShardFileName.name(.heldOut, number: 0)))
            try await harness.refresh(router, ShapleyRefreshParams(properties: ["held_out_loss"]))
            let failed = try service.status()
            #expect(failed.lastError?.contains("heldout-00000.safetensors could not be read") == true, "\(String(describing: failed.lastError))")
            #expect(try harness.games().map(\.fingerprint) == [oldGame.fingerprint] && harness.prunedFiles().count == 1)

            // The class diversity reads no held-out image, so it runs on the new data; its success
            // clears the error and deletes the game and pruned model made for the old data.
            try await harness.refresh(router, ShapleyRefreshParams(properties: ["class_diversity"], estimator: .retraining))
            let valuation = try #require(try await ShapleyHarness.valuations(router, estimator: .retraining).first)
            #expect(valuation.coalitions == 8 && valuation.coalitionsReused == 0 && valuation.efficiencyGap < 1e-9)
            #expect(valuation.contributors.map(\.examples) == [8, 8, 8])
            let games = try harness.games()
            #expect(games.count == 1 && games[0].estimator == "retraining")
            #expect(try harness.store.read { try harness.store.shapleyCoalitionValues(fingerprint: oldGame.fingerprint, in: $0) }.isEmpty)
            #expect(harness.prunedFiles().isEmpty)
            let status = try service.status()
            #expect(status.lastError == nil && status.queued == 0)
            #expect(try harness.store.read { try harness.store.shapleyJobs(in: $0) }.isEmpty)
        }
    }
}

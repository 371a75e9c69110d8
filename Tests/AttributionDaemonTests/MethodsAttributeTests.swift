@testable import AttributionDaemon
import AttributionProtocol
import Foundation
import Indexing
import Testing

/// `attribute` and `attribute_contributors` answer exactly what `Indexing.Attributor` computes.
@Suite struct MethodsAttributeTests {
    /// The attributor's answer as the protocol's rankings.
    static func reference(_ shared: MethodsIndexedRun, _ query: AttributionQuery) throws -> AttributeResult {
        let result = try Attributor(run: shared.testRun.run, store: shared.store, settings: shared.settings).attribute(query)
        func example(_ example: AttributedExample) -> AttributionProtocol.ScoredExample {
            AttributionProtocol.ScoredExample(id: example.id, score: example.score, shard: example.shard, row: example.row,
                                              contributor: example.contributor, contributorName: example.contributorName)
        }
        return AttributeResult(checkpoints: result.checkpoints, examplesScored: result.examples, samples: result.samples.map { sample in
            SampleRanking(top: sample.top.map(example), bottom: sample.bottom.map(example), contributors: sample.contributors.map {
                ContributorTotal(contributor: $0.contributor, name: $0.name, score: $0.score, examples: $0.examples)
            })
        })
    }

    @Test(arguments: [CheckpointSelector.latest, .all, .steps([1])])
    func attributeMatchesTheAttributor(checkpoints: CheckpointSelector) async throws {
        try await MethodsServices.withShared { services, shared in
            let samples = MethodsTestRun.samples(count: 2)
            let response = try await services.call(.attribute, AttributeParams(samples, topK: 4, checkpoints: checkpoints), as: AttributeResult.self)
            let answer = try #require(response.result, "\(String(describing: response.error))")
            let selection = try AttributeRequest.selection(checkpoints)
            let expected = try Self.reference(shared, AttributionQuery(samples: samples, topK: 4, checkpoints: selection,
                                                                      queryDraws: MethodsTestRun.queryDraws))
            #expect(answer == expected)
            #expect(answer.examplesScored == 18 && answer.samples.count == 2 && answer.samples[0].top.count == 4)
            #expect(answer.samples[0].contributors.count == 3)
            #expect(answer.samples[0].top.allSatisfy { $0.shard.hasPrefix("shard-") && $0.contributorName != nil })
        }
    }

    @Test func contributorsMatchTheAttributorAndRepeatedQueriesAgree() async throws {
        try await MethodsServices.withShared { services, shared in
            let samples = MethodsTestRun.samples(count: 1, seed: 9)
            let params = AttributeParams(samples, checkpoints: .all)
            let first = try #require(try await services.call(.attributeContributors, params, as: AttributeContributorsResult.self).result)
            let expected = try Self.reference(shared, AttributionQuery(samples: samples, topK: 5, checkpoints: .all,
                                                                      queryDraws: MethodsTestRun.queryDraws))
            #expect(first.checkpoints == [1, 2] && first.examplesScored == expected.examplesScored)
            #expect(first.samples.map(\.contributors) == expected.samples.map(\.contributors))
            // The second answer comes from the cached models, directory and curvature.
            let second = try #require(try await services.call(.attributeContributors, params, as: AttributeContributorsResult.self).result)
            #expect(second == first)
        }
    }

    @Test func cachedDirectoryAndCurvatureFollowNewShards() async throws {
        let run = try MethodsTestRun.make()
        defer { run.remove() }
        let late = run.run.dataFolder.appendingPathComponent("shard-00002.safetensors")
        let aside = run.folder.appendingPathComponent("shard-00002.safetensors")
        try FileManager.default.moveItem(at: late, to: aside)
        let (store, settings) = try run.openStore("store")
        try run.index(store, steps: [1])
        let indexed = MethodsIndexedRun(testRun: run, store: store, settings: settings)
        let samples = MethodsTestRun.samples(count: 2)
        let query = AttributionQuery(samples: samples, topK: 18, checkpoints: .latest, queryDraws: MethodsTestRun.queryDraws)
        try await MethodsServices.with(run: run.run, store: store, settings: settings) { services in
            let before = try await services.queries.attribute(query)
            let expectedBefore = try Self.reference(indexed, query)
            #expect(before.examplesScored == 12 && before == expectedBefore)
            try FileManager.default.moveItem(at: aside, to: late)
            try run.index(store, steps: [1])
            let after = try await services.queries.attribute(query)
            let expectedAfter = try Self.reference(indexed, query)
            #expect(after.examplesScored == 18 && after == expectedAfter)
            #expect(after.samples[0].top.contains { $0.shard == "shard-00002.safetensors" })
        }
    }

    @Test func nothingIndexedYet() async throws {
        let shared = try MethodsIndexedRun.get()
        let (store, settings) = try shared.testRun.openStore("empty-\(UUID().uuidString)")
        try await MethodsServices.with(run: shared.testRun.run, store: store, settings: settings) { services in
            let error = try #require(try await services.call(.attribute, AttributeParams(MethodsTestRun.samples(count: 1))).error)
            #expect(error.knownCode == .notIndexed && error.data?.reason.contains("no checkpoint") == true)
            let steps = try #require(try await services.call(.attribute, AttributeParams(MethodsTestRun.samples(count: 1), checkpoints: .steps([1]))).error)
            #expect(steps.knownCode == .notIndexed)
        }
    }
}

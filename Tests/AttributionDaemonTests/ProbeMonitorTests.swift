@testable import AttributionDaemon
import AttributionProtocol
import Foundation
import AttributionStore
import Indexing
import Numerics
import Testing

/// Probes: added and attributed at once, listed, re-attributed when checkpoints finish indexing,
/// removed with their history, and kept in the store across restarts.
@Suite struct ProbeMonitorTests {
    static func addParams(_ name: String, count: Int = 2, topK: Int? = 3) -> ProbeAddParams {
        let samples = MethodsTestRun.samples(count: count, seed: 21)
        return ProbeAddParams(name: name, samples: SampleTensor(values: samples.scalars, shape: samples.shape), topK: topK)
    }

    /// The history of `name`, polled until it has `count` entries.
    static func history(_ services: MethodsServices, _ name: String, count: Int) async throws -> ProbeHistoryResult {
        let deadline = ContinuousClock.now + .seconds(20)
        while true {
            let history = try services.probes.history(named: name)
            if history.history.count >= count || ContinuousClock.now > deadline { return history }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    @Test func addListHistoryRemove() async throws {
        let run = try MethodsTestRun.make()
        defer { run.remove() }
        let (store, settings) = try run.openStore("store")
        try run.index(store)
        try await MethodsServices.with(run: run.run, store: store, settings: settings) { services in
            let added = try #require(try await services.call(.probesAdd, Self.addParams("cats"), as: ProbeInfo.self).result)
            #expect(added.name == "cats" && added.samples == 2 && added.topK == 3 && added.lastStep == 2)

            let list = try #require(try await services.call(.probesList, NoParams(), as: ProbesListResult.self).result)
            #expect(list.probes == [added])

            let history = try #require(try await services.call(.probesHistory, ProbeNameParams(name: "cats"), as: ProbeHistoryResult.self).result)
            #expect(history.history.map(\.step) == [2] && history.history[0].samples.count == 2)
            let direct = try #require(try await services.call(
                .attribute, AttributeParams(MethodsTestRun.samples(count: 2, seed: 21), topK: 3), as: AttributeResult.self).result)
            #expect(history.history[0].samples.map(\.top) == direct.samples.map(\.top))

            let status = try #require(try await services.call(.status, NoParams(), as: StatusResult.self).result)
            #expect(status.probes == 1)

            let removed = try #require(try await services.call(.probesRemove, ProbeNameParams(name: "cats"), as: ProbeRemoveResult.self).result)
            #expect(removed.removed)
            #expect(try services.probes.list().probes.isEmpty)
            #expect(try await services.call(.probesHistory, ProbeNameParams(name: "cats")).error?.knownCode == .notFound)
            #expect(try store.read { try store.probeHistory(named: "cats", in: $0) }.isEmpty)
        }
    }

    @Test func invalidProbesAreRefused() async throws {
        let run = try MethodsTestRun.make()
        defer { run.remove() }
        let (store, settings) = try run.openStore("store")
        try await MethodsServices.with(run: run.run, store: store, settings: settings, limits: MethodsServices.limits(maxProbes: 2)) { services in
            for name in ["", "has space", "slash/name", String(repeating: "n", count: 65), "naïve"] {
                #expect(try await services.call(.probesAdd, Self.addParams(name)).error?.knownCode == .invalidParams, "\(name)")
            }
            #expect(try await services.call(.probesAdd, Self.addParams("k", topK: 0)).error?.knownCode == .invalidParams)
            #expect(try await services.call(.probesAdd, ProbeAddParams(name: "nothing")).error?.knownCode == .invalidParams)
            // Nothing is indexed: the probe is kept without history.
            let first = try #require(try await services.call(.probesAdd, Self.addParams("first.probe-1"), as: ProbeInfo.self).result)
            #expect(first.lastStep == nil && first.topK == 3)
            #expect(try await services.call(.probesAdd, Self.addParams("first.probe-1")).error?.knownCode == .invalidParams)
            #expect(try await services.call(.probesAdd, Self.addParams("second", topK: nil), as: ProbeInfo.self).result?.topK == 4)
            let full = try #require(try await services.call(.probesAdd, Self.addParams("third")).error)
            #expect(full.knownCode == .invalidParams && full.data?.reason.contains("2 probes") == true)
        }
    }

    @Test func historyGrowsWhenCheckpointsFinishIndexingAndSurvivesReopening() async throws {
        let run = try MethodsTestRun.make()
        defer { run.remove() }
        do {
            let (store, settings) = try run.openStore("store")
            try run.index(store, steps: [1])
            try await MethodsServices.with(run: run.run, store: store, settings: settings) { services in
                let added = try await services.probes.add(Self.addParams("watch"))
                #expect(added.lastStep == 1)
                try run.index(store, steps: [2])
                services.probes.checkpointIndexed(2)
                let history = try await Self.history(services, "watch", count: 2)
                try #require(history.history.map(\.step) == [1, 2])
                #expect(history.history.allSatisfy { $0.samples.count == 2 && $0.samples.allSatisfy { $0.top.count == 3 } })
                // Indexed again (e.g. after new shards): the entry at the step is recomputed in place.
                let before = history.history[1].recordedAt
                services.probes.checkpointIndexed(2)
                let deadline = ContinuousClock.now + .seconds(20)
                var again = history
                while again.history[1].recordedAt == before, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(10))
                    again = try services.probes.history(named: "watch")
                }
                #expect(again.history.map(\.step) == [1, 2] && again.history[1].recordedAt > before)
                #expect(again.history[0] == history.history[0])
            }
        }
        let (store, settings) = try run.openStore("store")
        try await MethodsServices.with(run: run.run, store: store, settings: settings) { services in
            let probes = try services.probes.list().probes
            #expect(probes.map(\.name) == ["watch"] && probes.first?.lastStep == 2 && probes.first?.samples == 2)
            #expect(try services.probes.history(named: "watch").history.map(\.step) == [1, 2])
        }
    }

    @Test func runCatchesUpWithCheckpointsIndexedWhileNoMonitorRan() async throws {
        let run = try MethodsTestRun.make()
        defer { run.remove() }
        let (store, settings) = try run.openStore("store")
        try await MethodsServices.with(run: run.run, store: store, settings: settings) { services in
            #expect(try await services.probes.add(Self.addParams("early")).lastStep == nil)
            try run.index(store)
            let monitor = Task { try await services.probes.run() }
            defer { monitor.cancel() }
            #expect(try await Self.history(services, "early", count: 2).history.map(\.step) == [1, 2])
        }
    }
}

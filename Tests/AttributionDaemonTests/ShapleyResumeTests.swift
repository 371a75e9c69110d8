@testable import AttributionDaemon
import AttributionProtocol
import AttributionStore
import Foundation
import Testing

/// A refresh stopped by shutdown keeps its job queued and its coalitions stored, and the next
/// service resumes it without evaluating them again.
@Suite struct ShapleyResumeTests {
    static let params = ShapleyRefreshParams(properties: ["held_out_loss", "kernel_distance"])

    @Test func anInterruptedRefreshResumesAfterRestart() async throws {
        let harness = try await ShapleyHarness.make()
        defer { harness.remove() }
        let stopping = CoalitionCounter(stopAt: 3)
        let first = harness.service(observer: stopping.observer)
        stopping.attach(first)
        let running = Task { try await first.run() }
        let answer = try #require(
            try await ShapleyHarness.call(harness.router(first), .shapleyRefresh, Self.params, as: ShapleyRefreshResult.self).result)
        try await running.value  // the stop request ends the valuation thread after the third coalition

        #expect(stopping.count == 3)
        let progress = try #require(stopping.snapshots.first?.running)
        #expect(progress.job == answer.job && progress.step == 2 && progress.phase == "evaluating")
        #expect(progress.sampling == .exact && progress.coalitionsEvaluated == 1 && progress.coalitionsReused == 0)
        #expect(stopping.snapshots.map { $0.running?.coalitionsEvaluated } == [1, 2, 3])
        let jobs = try harness.store.read { try harness.store.shapleyJobs(in: $0) }
        #expect(jobs.map(\.number) == [UInt64(answer.job)] && jobs.map(\.state) == [.queued])
        let game = try #require(try harness.games().first)
        #expect(try harness.store.read { try harness.store.shapleyCoalitionValues(fingerprint: game.fingerprint, in: $0) }.count == 3)
        #expect(try first.status().running == nil && first.status().queued == 1)

        let resuming = CoalitionCounter()
        let second = harness.service(observer: resuming.observer)
        let router = harness.router(second)
        try await harness.running(second) {
            try await harness.waitUntilIdle()
        }
        #expect(resuming.count == 5, "stored coalitions were evaluated again")
        let valuations = try await ShapleyHarness.valuations(router)
        #expect(valuations.map(\.property) == ["held_out_loss", "kernel_distance"])
        #expect(valuations.allSatisfy { $0.coalitions == 8 && $0.coalitionsReused == 3 && $0.efficiencyGap < 1e-9 })
        #expect(harness.prunedFiles().count == 1)
    }

    @Test func anExactEnumerationCutShortByItsBudgetFailsAndTheNextRefreshContinuesIt() async throws {
        let harness = try await ShapleyHarness.make()
        defer { harness.remove() }
        let counter = CoalitionCounter()
        let service = harness.service(observer: counter.observer)
        let router = harness.router(service)
        try await harness.running(service) {
            try await harness.refresh(router, ShapleyRefreshParams(properties: ["held_out_loss"], sampling: .exact, maxCoalitions: 3))
            let error = try #require(try service.status().lastError)
            #expect(error.contains("exact enumeration needs all 8 coalitions of 3 contributors and max_coalitions (3) stopped it at 3"))
            #expect(try await ShapleyHarness.valuations(router).isEmpty)
            #expect(counter.count == 3)

            try await harness.refresh(router, ShapleyRefreshParams(properties: ["held_out_loss"], sampling: .exact, maxCoalitions: 5))
            let valuation = try #require(try await ShapleyHarness.valuations(router).first)
            #expect(valuation.coalitions == 8 && valuation.coalitionsReused == 3 && valuation.efficiencyGap < 1e-9)
            #expect(counter.count == 8)
            #expect(try service.status().lastError == nil)
        }
    }
}

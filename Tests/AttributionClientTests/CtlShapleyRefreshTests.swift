import ArgumentParser
import AttributionClient
import AttributionProtocol
import Foundation
import Testing
@testable import attributionctl

/// `attributionctl shapley refresh` against a fake daemon: the request, the job line, and
/// `--wait` following the job through `status` to its values or its failure.
@Suite struct CtlShapleyRefreshTests {
    /// What one run printed: `output` on standard output, `progress` on standard error.
    struct Printed {
        var output: [String] = []
        var progress: [String] = []
    }

    /// Parses `arguments` after `attributionctl shapley refresh --socket PATH` and runs the
    /// command, polling every few milliseconds; `printed` receives what it printed, even when it throws.
    static func run(_ daemon: CtlShapleyFakeDaemon, _ arguments: [String], printed: inout Printed) throws {
        let parsed = try AttributionCtl.parseAsRoot(["shapley", "refresh", "--socket", daemon.path] + arguments)
        let command = try #require(parsed as? ShapleyRefreshCommand)
        var output: [String] = [], progress: [String] = []
        defer { printed = Printed(output: output, progress: progress) }
        try command.perform(pollInterval: .milliseconds(5), output: { output.append($0) }, progress: { progress.append($0) })
    }

    @Test func sendsTheOptionsAndPrintsTheJob() throws {
        let daemon = try CtlShapleyFakeDaemon(refresh: CtlShapleyFixtures.job)
        defer { daemon.stop() }
        var printed = Printed()
        try Self.run(daemon, ["--property", "held_out_loss", "--property", "class_diversity", "--estimator", "retraining",
                              "--sampling", "permutation", "--target-se", "0.02", "--max-coalitions", "300"], printed: &printed)
        #expect(printed.output == [ShapleyReport.job(CtlShapleyFixtures.job)])
        #expect(printed.progress.isEmpty)
        try Self.run(daemon, ["--json"], printed: &printed)
        let decoded = try ProtocolCoding.makeDecoder().decode(ShapleyRefreshResult.self, from: Data(printed.output.joined().utf8))
        #expect(decoded == CtlShapleyFixtures.job)
        #expect(daemon.asked.refresh == [
            ShapleyRefreshParams(properties: ["held_out_loss", "class_diversity"], estimator: .retraining, sampling: .permutation,
                                 targetStandardError: 0.02, maxCoalitions: 300),
            ShapleyRefreshParams(),
        ])
        #expect(daemon.asked.statusCalls == 0)
    }

    /// Job 6 runs, then job 7 prepares, evaluates (one status repeated), and is over.
    static let progressingStatuses: [ShapleyStatus] = [
        CtlShapleyFixtures.status(running: CtlShapleyFixtures.progress(job: 6), queued: 1),
        CtlShapleyFixtures.status(queued: 1),
        CtlShapleyFixtures.status(running: CtlShapleyFixtures.progress(phase: "preparing")),
        CtlShapleyFixtures.status(running: CtlShapleyFixtures.progress(evaluated: 10, reused: 4, maxStandardError: 0.2)),
        CtlShapleyFixtures.status(running: CtlShapleyFixtures.progress(evaluated: 10, reused: 4, maxStandardError: 0.2)),
        CtlShapleyFixtures.status(running: CtlShapleyFixtures.progress(evaluated: 25, reused: 4, maxStandardError: 0.04)),
        CtlShapleyFixtures.status(running: CtlShapleyFixtures.progress(phase: "saving", evaluated: 25, reused: 4, maxStandardError: 0.04)),
        CtlShapleyFixtures.status(lastError: "job 5: no checkpoint indexed"),
    ]

    @Test func waitFollowsProgressToCompletionThenPrintsTheRefreshedValues() throws {
        // Job 7 retrains: the loss's retraining valuations (newest at step 400) and the
        // diversity's; the sparsified and influence ones are another estimator's.
        func estimated(_ valuation: ShapleyValuation, by estimator: ShapleyEstimatorKind) -> ShapleyValuation {
            var copy = valuation
            copy.estimator = estimator
            return copy
        }
        let retrainedLoss = estimated(CtlShapleyFixtures.loss, by: .retraining)
        let valuations = [CtlShapleyFixtures.loss, CtlShapleyFixtures.olderLoss, estimated(CtlShapleyFixtures.olderLoss, by: .retraining),
                          retrainedLoss, CtlShapleyFixtures.diversity, estimated(CtlShapleyFixtures.diversity, by: .influence)]
        let daemon = try CtlShapleyFakeDaemon(refresh: CtlShapleyFixtures.job, statuses: Self.progressingStatuses, valuations: valuations)
        defer { daemon.stop() }
        var printed = Printed()
        try Self.run(daemon, ["--wait"], printed: &printed)

        let expectedProgress = Self.progressingStatuses.dropLast().map { status -> String in
            guard let running = status.running, running.job == 7 else {
                return ShapleyReport.progress(job: 7, waitingBehind: status.running, queued: status.queued)
            }
            return ShapleyReport.progress(job: 7, running: running)
        }
        // The repeated status is shown once; the error of job 5 is not job 7's failure.
        #expect(printed.progress == Array(expectedProgress[0...3]) + Array(expectedProgress[5...6]) + ["job 7 finished"])
        #expect(daemon.asked.statusCalls == Self.progressingStatuses.count)
        // The job's properties by the job's estimator, newest step of each.
        #expect(daemon.asked.get == [ShapleyGetParams(property: "held_out_loss", estimator: .retraining),
                                     ShapleyGetParams(property: "class_diversity", estimator: .retraining)])
        #expect(printed.output == [ShapleyReport.job(CtlShapleyFixtures.job), "\n" + ShapleyReport.render([retrainedLoss, CtlShapleyFixtures.diversity])])
    }

    @Test func waitWithJSONPrintsTheJobAndItsValuesAsOneDocument() throws {
        let daemon = try CtlShapleyFakeDaemon(refresh: CtlShapleyFixtures.job, statuses: [CtlShapleyFixtures.status()],
                                              valuations: [CtlShapleyFixtures.diversity])
        defer { daemon.stop() }
        var printed = Printed()
        try Self.run(daemon, ["--wait", "--json"], printed: &printed)
        #expect(printed.output.count == 1)
        let decoded = try ProtocolCoding.makeDecoder().decode(ShapleyRefreshOutcome.self, from: Data(printed.output.joined().utf8))
        #expect(decoded == ShapleyRefreshOutcome(job: CtlShapleyFixtures.job, valuations: [CtlShapleyFixtures.diversity]))
        #expect(printed.progress == [ShapleyReport.job(CtlShapleyFixtures.job), "job 7 finished"])
    }

    @Test func waitFailsWhenTheLastErrorNamesTheJob() throws {
        let failure = "job 7: evaluating coalition {0, 2}: training diverged"
        let daemon = try CtlShapleyFakeDaemon(refresh: CtlShapleyFixtures.job, statuses: [
            CtlShapleyFixtures.status(running: CtlShapleyFixtures.progress(evaluated: 3)),
            CtlShapleyFixtures.status(running: CtlShapleyFixtures.progress(job: 8), lastError: failure),
        ], valuations: [CtlShapleyFixtures.loss])
        defer { daemon.stop() }
        var printed = Printed()
        let error = #expect(throws: ShapleyWaitError.self) { try Self.run(daemon, ["--wait"], printed: &printed) }
        guard case .jobFailed(7, failure) = error else {
            Issue.record("expected job 7's failure, got \(String(describing: error))")
            return
        }
        #expect(error?.description == "the Shapley refresh failed: \(failure)")
        #expect(ExitStatus(for: ShapleyWaitError.jobFailed(job: 7, reason: failure)) == .failure)
        #expect(printed.progress.count == 1)
        #expect(printed.output == [ShapleyReport.job(CtlShapleyFixtures.job)])
        #expect(daemon.asked.get.isEmpty)
    }

    @Test func waitGivesUpAfterTimeoutWaitAndSaysWhereTheJobWas() throws {
        let running = CtlShapleyFixtures.status(running: CtlShapleyFixtures.progress(evaluated: 3))
        let daemon = try CtlShapleyFakeDaemon(refresh: CtlShapleyFixtures.job, statuses: [running])
        defer { daemon.stop() }
        var printed = Printed()
        let error = #expect(throws: ShapleyWaitError.self) { try Self.run(daemon, ["--wait", "--timeout-wait", "0.05"], printed: &printed) }
        guard case .timedOut(let job, let seconds, let last) = error else {
            Issue.record("expected a timeout, got \(String(describing: error))")
            return
        }
        #expect(job == 7 && seconds >= 0.05)
        #expect(last == ShapleyReport.progress(job: 7, running: CtlShapleyFixtures.progress(evaluated: 3)))
        #expect(error?.description.contains("goes on in the daemon") == true)
        #expect(daemon.asked.statusCalls >= 2)
    }

    @Test func waitKeepsGoingWhileTheDaemonCannotBeReached() throws {
        let daemon = try CtlShapleyFakeDaemon(refresh: CtlShapleyFixtures.job, statuses: [CtlShapleyFixtures.status()])
        daemon.stop()
        let wait = ShapleyRefreshWait(job: 7, pollInterval: .milliseconds(5), limit: .milliseconds(40)) { () throws(ClientError) in
            try AttributionClient(socketPath: daemon.path, timeout: .seconds(1))
        }
        var lines: [String] = []
        let error = #expect(throws: ShapleyWaitError.self) { try wait.run { lines.append($0) } }
        guard case .timedOut(7, _, "job 7: the daemon cannot be reached; still waiting") = error else {
            Issue.record("expected a timeout while unreachable, got \(String(describing: error))")
            return
        }
        #expect(lines == ["job 7: the daemon cannot be reached; still waiting"])
    }

    @Test func aDaemonWithoutShapleyStatusIsAnError() throws {
        let daemon = try CtlShapleyFakeDaemon(refresh: CtlShapleyFixtures.job, statuses: [nil])
        defer { daemon.stop() }
        var printed = Printed()
        let error = #expect(throws: ShapleyWaitError.self) { try Self.run(daemon, ["--wait"], printed: &printed) }
        guard case .noShapleyStatus = error else {
            Issue.record("expected noShapleyStatus, got \(String(describing: error))")
            return
        }
    }
}

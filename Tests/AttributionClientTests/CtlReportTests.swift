import ArgumentParser
import AttributionClient
import AttributionProtocol
import Foundation
import Testing
@testable import attributionctl

/// The text reports, option parsing and exit statuses of `attributionctl`.
@Suite struct CtlReportTests {
    static func example(_ id: Int64, _ score: Float = 1) -> ScoredExample {
        ScoredExample(id: id, score: score, shard: "shard-00001.safetensors", row: Int(id), contributor: id % 2, contributorName: id % 2 == 0 ? "even" : nil)
    }

    @Test func probeHistoryShowsRanksByStepAndWhatMoved() {
        let date = Date(timeIntervalSince1970: 0)
        let result = ProbeHistoryResult(name: "cats", history: [
            ProbeHistoryEntry(step: 400, recordedAt: date, samples: [ProbeSampleTop(top: [Self.example(3), Self.example(1), Self.example(2)])]),
            ProbeHistoryEntry(step: 200, recordedAt: date, samples: [ProbeSampleTop(top: [Self.example(1), Self.example(2), Self.example(5)])]),
            ProbeHistoryEntry(step: 600, recordedAt: date, samples: [ProbeSampleTop(top: [Self.example(1), Self.example(3), Self.example(2)])]),
            ProbeHistoryEntry(step: 800, recordedAt: date, samples: [ProbeSampleTop(top: [Self.example(1), Self.example(3), Self.example(2)])]),
        ])
        #expect(ProbeHistoryReport.render(result) == """
            probe cats: 4 checkpoints, steps 200, 400, 600, 800
            
            image 1: example ids by rank
            RANK  STEP 200  STEP 400  STEP 600  STEP 800
               1         1         3         1         1
               2         2         1         3         3
               3         5         2         2         2
            step 200: first attribution
            step 400: entered 3; left 5
            step 600: same examples, new order
            step 800: unchanged
            """)
        #expect(ProbeHistoryReport.render(ProbeHistoryResult(name: "new", history: [])).contains("no checkpoint"))
    }

    @Test func attributionReportListsEveryTable() {
        let result = AttributeResult(checkpoints: [200, 400], examplesScored: 64, samples: [
            SampleRanking(top: [Self.example(4, 0.5), Self.example(7, 0.25)], bottom: [Self.example(9, -0.75)],
                          contributors: [ContributorTotal(contributor: 0, name: "even", score: 1.5, examples: 32)]),
        ])
        let text = AttributionReport.render(result, labels: ["cat.png"])
        #expect(text.hasPrefix("64 training examples scored at checkpoints 200, 400"))
        #expect(text.contains("sample 1 (cat.png): top 2"))
        #expect(text.contains("   1    0.5        4  shard-00001.safetensors:4  even (0)"))
        #expect(text.contains("   2   0.25        7  shard-00001.safetensors:7  1"))
        #expect(text.contains("   1  -0.75        9  shard-00001.safetensors:9  1"))
        #expect(text.contains("          0  even    1.5        32"))
        #expect(AttributionReport.label(0, of: 2, labels: ["one.safetensors"]) == "sample 1")
    }

    @Test func statusReportSummarisesTheDaemon() {
        let started = Date(timeIntervalSince1970: 1_700_000_000)
        let status = StatusResult(
            version: "1.2", startedAt: started, uptimeSeconds: 7391, runDirectory: "/srv/run", storeDirectory: "/var/lib/store",
            checkpoints: .init(known: 4, indexed: 2, indexing: 1, failed: 1, retired: 0, latestIndexed: 400),
            examples: .init(training: 640, heldOut: 64, shardsAccepted: 10, shardsRejected: 1),
            backlog: .init(pendingJobs: 3, failedJobs: 1, completedJobs: 20,
                           running: .init(kind: "index_shard", step: 600, shard: "shard-00009.safetensors", startedAt: started)),
            errors: (0..<12).map { .init(time: nil, source: "shard-\($0)", message: "duplicate id") }, probes: 2, connections: 5)
        let text = StatusReport.render(status, now: started.addingTimeInterval(12))
        #expect(text.contains("daemon       attributiond 1.2, up 2h 03m 11s"))
        #expect(text.contains("checkpoints  4 known: 2 indexed, 1 indexing, 1 failed, 0 retired"))
        #expect(text.contains("latest       step 400"))
        #expect(text.contains("running      index_shard at step 600, shard-00009.safetensors, for 12.0s"))
        #expect(text.contains("errors (last 10 of 12)"))
        #expect(!text.contains("shard-1 ") && text.contains("shard-11"))
    }

    @Test func checkpointSelectorsParse() throws {
        #expect(try QueryOptions.parseCheckpoints("latest") == .latest)
        #expect(try QueryOptions.parseCheckpoints("all") == .all)
        #expect(try QueryOptions.parseCheckpoints("200, 400") == .steps([200, 400]))
        for bad in ["", "2x", "200,", "-5"] {
            #expect(throws: ValidationError.self) { try QueryOptions.parseCheckpoints(bad) }
        }
    }

    @Test func exitStatusesFollowTheCause() {
        #expect(ExitStatus(for: ClientError.cannotConnect(path: "/x", errno: ENOENT)) == .unavailable)
        #expect(ExitStatus(for: ClientError.connectionClosed(method: "status", receivedBytes: 0)) == .unavailable)
        #expect(ExitStatus(for: ClientError.server(JSONRPCError(.notIndexed))) == .failure)
        #expect(ExitStatus(for: ClientError.timedOut(method: "attribute", after: .seconds(1))) == .failure)
        #expect(ExitStatus(for: ValidationError("bad")) == .usage)
        #expect(ExitStatus(for: SampleFileError.noSamples) == .failure)
    }

    @Test func formattingOfDurationsAndScores() {
        #expect(Formatting.duration(12.34) == "12.3s")
        #expect(Formatting.duration(247) == "4m 07s")
        #expect(Formatting.duration(90_061) == "1d 1h 01m")
        #expect(Formatting.score(0.000012345) == "1.234e-05")
        #expect(Formatting.contributor(id: -1, name: nil) == "-")
        #expect(Formatting.contributor(id: 4, name: "dora") == "dora (4)")
    }
}

import AttributionClient
import AttributionProtocol
import Foundation
import Testing

extension DaemonProcesses {
    /// Truncated files, duplicate ids and a checkpoint whose config does not match its weights
    /// are refused, shown in `status` and `checkpoints`, and skipped; the good files around them
    /// are indexed and the daemon keeps serving.
    @Suite struct BadFiles {
        @Test(.timeLimit(.minutes(6)))
        func badFilesAreReportedAndSkippedWhileTheRestIsIndexed() throws {
            let fixture = try DaemonFixture()
            let run = fixture.run
            let good = try run.addShard(0)
            try run.addTruncatedShard(1)
            try run.addShardWithRepeatedIDs(2)
            try run.addShardReusingIDs(3, of: 0)
            try run.addCheckpoint(step: 1)
            try run.addCheckpointWithMismatchedConfig(step: 2)

            try fixture.startServing()
            try fixture.waitForIndexed(step: 1, examples: good.count)
            try Self.waitForFailure(of: 2, fixture)
            var status = try fixture.client().status()
            #expect(status.examples.shardsAccepted == 1 && status.examples.shardsRejected == 3, "\(status.examples)")
            #expect(status.examples.training == good.count)
            #expect(status.checkpoints.failed == 1 && status.checkpoints.latestIndexed == 1)
            for name in [1, 2, 3].map({ TinyRun.shardName($0) }) + ["checkpoint-2"] {
                #expect(status.errors.contains { $0.source.contains(name) || $0.message.contains(name) }, "\(name) not in errors: \(status.errors)")
            }

            // Bad files arriving while the daemon serves are refused the same way.
            try run.addCheckpointWithTruncatedWeights(step: 3)
            try run.addTruncatedShard(4)
            let more = try run.addShard(5)
            try fixture.waitForIndexed(step: 1, examples: good.count + more.count)
            try Self.waitForFailure(of: 3, fixture)
            try waitUntil("shard 4 refused", timeout: 60) { try fixture.client(seconds: 10).status().examples.shardsRejected == 4 }
            status = try fixture.client().status()
            #expect(status.errors.contains { $0.source.contains("shard-00004") || $0.message.contains("shard-00004") }, "\(status.errors)")
            #expect(status.checkpoints.latestIndexed == 1)

            let result = try fixture.client().attribute(samples: 1, topK: 4)
            #expect(result.checkpoints == [1] && result.examplesScored == good.count + more.count)
            #expect(Set(result.samples[0].top.map(\.id)).isSubset(of: good + more))
            #expect(try fixture.running().process.isRunning)

            // Repaired files are looked at again: a good shard in place of the truncated one,
            // and the mismatched checkpoint's config rewritten to fit its weights.
            let repaired = try run.addShard(1)
            try run.repairCheckpointConfig(step: 2)
            try fixture.waitForIndexed(step: 2, examples: good.count + more.count + repaired.count, afterFailure: true)
            try fixture.waitForIndexed(step: 1, examples: good.count + more.count + repaired.count)
            status = try fixture.client().status()
            #expect(status.examples.shardsRejected == 3 && status.checkpoints.failed == 1 && status.checkpoints.latestIndexed == 2,
                    "\(status.examples), \(status.checkpoints)")
        }

        /// Waits until checkpoint `step` is marked failed with a reason.
        static func waitForFailure(of step: Int, _ fixture: DaemonFixture) throws {
            let failed = try eventually("checkpoint \(step) failed", timeout: 120, interval: 0.1) {
                try fixture.client(seconds: 10).checkpoints().first { $0.step == step && $0.status == "failed" }
            }
            #expect(!(failed.failure ?? "").isEmpty, "checkpoint \(step) failed without a reason")
        }
    }
}

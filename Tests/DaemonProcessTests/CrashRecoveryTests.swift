import AttributionClient
import AttributionProtocol
import Foundation
import Testing

extension DaemonProcesses {
    /// kill -9 in the middle of ingest, then restart, several times: the store stays readable
    /// and consistent, the work resumes, files that arrived while the daemon was down are
    /// picked up, and in the end every training example is indexed exactly once at every
    /// checkpoint.
    @Suite struct CrashRecovery {
        @Test(.timeLimit(.minutes(12)))
        func killedDuringIngestResumesWithEveryExampleIndexedOnce() throws {
            let fixture = try DaemonFixture()
            var expected: [Int64] = []
            for shard in 0..<4 { expected += try fixture.run.addShard(shard) }
            try fixture.run.addCheckpoint(step: 1)
            try fixture.run.addCheckpoint(step: 2)

            var killsMidWork = 0
            var checkpointCount = 2
            for round in 0..<4 {
                try fixture.startServing()
                // Whatever the last kill interrupted, the store holds whole shards only.
                let atStart = try fixture.client().checkpoints()
                Self.expectConsistent(atStart, accepted: expected.count, daemon: try fixture.running())
                // Kill once this life has indexed something, unless everything is done first.
                let full = checkpointCount * expected.count / TinyRun.examplesPerShard
                let seen = try eventually("ingest progress", timeout: 180, interval: 0.01) { () -> Int? in
                    let progress = Self.progress(try fixture.client(seconds: 10).checkpoints())
                    return progress > Self.progress(atStart) || progress == full ? progress : nil
                }
                try fixture.running().killHard()
                if seen < full { killsMidWork += 1 }
                // Files that arrive while the daemon is down are found at the next start.
                if round == 1 { expected += try fixture.run.addShard(4) }
                if round == 2 {
                    try fixture.run.addCheckpoint(step: 3)
                    checkpointCount = 3
                }
            }

            // A graceful stop in the middle of work: the job in flight finishes, the daemon exits 0.
            try fixture.startServing()
            try waitUntil("a job running", timeout: 120, interval: 0.02) {
                let status = try fixture.client(seconds: 10).status()
                return status.backlog.running != nil || (status.backlog.pendingJobs == 0 && status.checkpoints.indexed == 3)
            }
            let stopping = try fixture.running()
            #expect(try stopping.terminate(timeout: 120) == 0, "SIGTERM during ingest; log:\n\(stopping.log)")

            try fixture.startServing()
            for step in [1, 2, 3] { try fixture.waitForIndexed(step: step, examples: expected.count) }
            let checkpoints = try fixture.client().checkpoints()
            Self.expectConsistent(checkpoints, accepted: expected.count, daemon: try fixture.running())
            #expect(checkpoints.map(\.step) == [1, 2, 3])
            #expect(checkpoints.allSatisfy { $0.shardsIndexed == 5 && $0.shardsTotal == 5 }, "\(checkpoints)")

            let status = try fixture.client().status()
            #expect(status.examples.training == expected.count && status.examples.shardsAccepted == 5)
            #expect(status.backlog.pendingJobs == 0 && status.backlog.failedJobs == 0)
            #expect(status.errors.isEmpty, "errors after recovery: \(status.errors)")
            for selector in [CheckpointSelector.all, .steps([1]), .steps([2]), .steps([3])] {
                let result = try fixture.client().attribute(samples: 1, topK: expected.count, checkpoints: selector)
                #expect(result.examplesScored == expected.count)
                #expect(result.samples[0].top.map(\.id).sorted() == expected.sorted(), "\(selector): not every example exactly once")
            }
            #expect(killsMidWork >= 2, "only \(killsMidWork) kills landed while work was pending")
        }

        /// Shards indexed, summed over checkpoints.
        static func progress(_ checkpoints: [CheckpointInfo]) -> Int {
            checkpoints.reduce(0) { $0 + $1.shardsIndexed }
        }

        /// Checks what a store left by a kill must satisfy: at each checkpoint only whole shards
        /// (every shard has `TinyRun.examplesPerShard` examples), never more than were accepted.
        static func expectConsistent(_ checkpoints: [CheckpointInfo], accepted: Int, daemon: DaemonProcess) {
            for checkpoint in checkpoints {
                #expect(checkpoint.status != "failed", "checkpoint \(checkpoint.step) failed: \(checkpoint.failure ?? "")\n\(daemon.log)")
                #expect(checkpoint.shardsIndexed <= checkpoint.shardsTotal, "\(checkpoint)")
                #expect(checkpoint.examples == checkpoint.shardsIndexed * TinyRun.examplesPerShard, "a partial shard: \(checkpoint)")
                #expect(checkpoint.examples <= accepted, "more examples than accepted: \(checkpoint)")
            }
        }
    }
}

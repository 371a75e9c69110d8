import AttributionClient
import AttributionProtocol
import Foundation
import Testing

extension DaemonProcesses {
    /// Files a trainer writes while the daemon runs are watched, indexed and queryable.
    @Suite struct LiveIngest {
        @Test(.timeLimit(.minutes(6)))
        func shardsAndCheckpointsWrittenWhileServingBecomeQueryable() throws {
            let fixture = try DaemonFixture()
            let initial = try fixture.startServing()
            #expect(initial.checkpoints.known == 0 && initial.examples.training == 0)
            // Nothing is indexed yet.
            #expect(try code(of: { try fixture.client().attribute(samples: 1, topK: 3) }) == -32002)

            let first = try fixture.run.addShard(0)
            let heldOut = try fixture.run.addHeldOutShard(0)
            try waitUntil("the shards registered", timeout: 60) {
                let status = try fixture.client(seconds: 10).status()
                return status.examples.training == first.count && status.examples.heldOut == heldOut.count
            }
            try fixture.run.addCheckpoint(step: 10)
            try fixture.waitForIndexed(step: 10, examples: first.count)

            let result = try fixture.client().attribute(samples: 2, topK: 3)
            #expect(result.checkpoints == [10])
            #expect(result.examplesScored == first.count)
            #expect(result.samples.count == 2)
            for sample in result.samples {
                #expect(sample.top.count == 3 && sample.bottom.count == 3)
                #expect(Set(sample.top.map(\.id) + sample.bottom.map(\.id)).isSubset(of: first), "ids outside shard 0: \(sample.top)")
                #expect(sample.top.allSatisfy { $0.shard == TinyRun.shardName(0) })
                #expect(sample.top.allSatisfy { TinyRun.contributorNames[$0.contributor] == $0.contributorName })
                #expect(zip(sample.top, sample.top.dropFirst()).allSatisfy { $0.score >= $1.score }, "top not in descending order")
                #expect(Set(sample.contributors.map(\.contributor)) == [0, 1, 2])
            }
            let example = try fixture.client().call(.example, ExampleParams(id: first[4]), as: ExampleResult.self)
            #expect(example.row == 4 && example.contributor == first[4] % 3 && !example.heldOut)
            #expect(example.selfInfluence.map(\.step) == [10])

            // A shard arriving after the checkpoint is indexed gets gradients at it.
            let second = try fixture.run.addShard(1)
            try fixture.waitForIndexed(step: 10, examples: first.count + second.count)
            let everything = try fixture.client().attribute(samples: 1, topK: first.count + second.count)
            #expect(everything.examplesScored == first.count + second.count)
            #expect(everything.samples[0].top.map(\.id).sorted() == (first + second).sorted(), "each training example exactly once")

            // A new checkpoint is indexed in the background and becomes the default.
            try fixture.run.addCheckpoint(step: 20)
            try fixture.waitForIndexed(step: 20, examples: first.count + second.count)
            let status = try fixture.client().status()
            #expect(status.checkpoints.latestIndexed == 20 && status.checkpoints.indexed == 2)
            #expect(status.backlog.failedJobs == 0 && status.errors.isEmpty, "errors: \(status.errors)")
            #expect(try fixture.client().attribute(samples: 1, topK: 2).checkpoints == [20])
            #expect(try fixture.client().attribute(samples: 1, topK: 2, checkpoints: .all).checkpoints == [10, 20])
            #expect(try fixture.client().attribute(samples: 1, topK: 2, checkpoints: .steps([10])).checkpoints == [10])
        }

        @Test(.timeLimit(.minutes(4)))
        func onlyTheNewestCheckpointsAreKept() throws {
            let fixture = try DaemonFixture { $0.retainCheckpoints = 2 }
            let ids = try fixture.run.addShard(0)
            try fixture.startServing()
            for step in [1, 2, 3] {
                try fixture.run.addCheckpoint(step: step)
                try fixture.waitForIndexed(step: step, examples: ids.count)
            }
            let checkpoints = try eventually("checkpoint 1 retired", timeout: 60, interval: 0.1) { () -> [CheckpointInfo]? in
                let checkpoints = try fixture.client(seconds: 10).checkpoints()
                return checkpoints.first { $0.step == 1 }?.status == "retired" ? checkpoints : nil
            }
            #expect(checkpoints.map(\.status) == ["retired", "indexed", "indexed"])
            let status = try fixture.client().status()
            #expect(status.checkpoints.retired == 1 && status.checkpoints.indexed == 2)
            #expect(try fixture.client().attribute(samples: 1, topK: 2, checkpoints: .all).checkpoints == [2, 3])
            #expect(try code { try fixture.client().attribute(samples: 1, topK: 2, checkpoints: .steps([1])) } == -32002)
        }

        @Test(.timeLimit(.minutes(5)))
        func queriesAreAnsweredWhileIngestRuns() throws {
            let fixture = try DaemonFixture()
            var ids = try fixture.run.addShard(0)
            try fixture.run.addCheckpoint(step: 1)
            try fixture.startServing()
            try fixture.waitForIndexed(step: 1, examples: ids.count)

            // Enough new work to keep the ingest thread busy for a while.
            for shard in 1...4 { ids += try fixture.run.addShard(shard) }
            for step in [2, 3, 4] { try fixture.run.addCheckpoint(step: step) }
            var answeredDuringIngest = 0
            var slowest = 0.0
            while true {
                let before = try fixture.client(seconds: 10).status()
                let started = Date()
                let result = try fixture.client(seconds: 30).attribute(samples: 1, topK: 2)
                slowest = max(slowest, Date().timeIntervalSince(started))
                #expect(result.checkpoints.count == 1 && result.examplesScored <= ids.count)
                let after = try fixture.client(seconds: 10).status()
                let busy = { (status: StatusResult) in status.backlog.running != nil || status.backlog.pendingJobs > 0 }
                if busy(before) && busy(after) { answeredDuringIngest += 1 }
                if !busy(after) && after.checkpoints.indexed == 4 { break }
            }
            #expect(answeredDuringIngest >= 3, "only \(answeredDuringIngest) queries were answered while ingest ran")
            #expect(slowest < 10, "a query took \(slowest) s while ingest ran")
            try fixture.waitForIndexed(step: 4, examples: ids.count)
        }

        @Test(.timeLimit(.minutes(3)))
        func aStoreInsideTheRunFolderIsNotTakenForTrainingFiles() throws {
            let fixture = try DaemonFixture { $0.storeDirectory = "" }
            let ids = try fixture.run.addShard(0)
            try fixture.run.addCheckpoint(step: 1)
            let status = try fixture.startServing()
            #expect(status.storeDirectory == fixture.run.folder.appendingPathComponent("attribution-store").path)
            try fixture.waitForIndexed(step: 1, examples: ids.count)

            // Idle now: the store's own writes must not wake the watcher into more work.
            let daemon = try fixture.running()
            let jobs = try fixture.client().status().backlog.completedJobs
            let cpu = try Self.cpuSeconds(of: daemon.pid)
            Thread.sleep(forTimeInterval: 3)
            #expect(try fixture.client().status().backlog.completedJobs == jobs)
            let used = try Self.cpuSeconds(of: daemon.pid) - cpu
            #expect(used < 0.5, "an idle daemon used \(used) s of CPU in 3 s")
        }

        @Test(.timeLimit(.minutes(3)))
        func theStoreDefaultsToTheStateDirectoryUnderSystemd() throws {
            let fixture = try DaemonFixture { $0.storeDirectory = "" }
            let state = fixture.run.root.appendingPathComponent("state")
            try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
            let daemon = try fixture.start(environment: ["STATE_DIRECTORY": state.path])
            let status = try daemon.waitUntilServing(socketPath: fixture.settings.socketPath)
            #expect(status.storeDirectory == state.appendingPathComponent("store").path)
            #expect(!FileManager.default.fileExists(atPath: fixture.run.folder.appendingPathComponent("attribution-store").path))
        }

        /// User and system CPU time of process `pid` so far, in seconds.
        static func cpuSeconds(of pid: Int32) throws -> Double {
            let text = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
            // Fields after the command name (which is in parentheses and may hold spaces).
            guard let end = text.lastIndex(of: ")") else { throw TestFailure("unreadable /proc/\(pid)/stat") }
            let fields = text[text.index(after: end)...].split(separator: " ")
            guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else {
                throw TestFailure("unreadable /proc/\(pid)/stat")
            }
            return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
        }
    }
}

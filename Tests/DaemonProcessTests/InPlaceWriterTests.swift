import AttributionClient
import AttributionProtocol
import DiffusionModel
import Foundation
import Testing

extension DaemonProcesses {
    /// Writers that do not rename: a shard or a checkpoint's weights visible while half
    /// written are waited for, not refused, and used once complete.
    @Suite struct InPlaceWriters {
        /// Watches the daemon for `seconds` while a file is half written, and returns every
        /// error and failed checkpoint it reports meanwhile.
        static func complaints(during seconds: Double, _ fixture: DaemonFixture) throws -> [String] {
            var seen: [String] = []
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                let status = try fixture.client(seconds: 10).status()
                seen += status.errors.map { "\($0.source): \($0.message)" }
                if status.examples.shardsRejected > 0 { seen.append("\(status.examples.shardsRejected) shards rejected") }
                seen += try fixture.client(seconds: 10).checkpoints().filter { $0.status == "failed" }.map { "checkpoint \($0.step) failed: \($0.failure ?? "")" }
                Thread.sleep(forTimeInterval: 0.1)
            }
            return Array(Set(seen)).sorted()
        }

        @Test(.timeLimit(.minutes(4)))
        func aShardWrittenInPlaceIsUsedOnceComplete() throws {
            let fixture = try DaemonFixture()
            let first = try fixture.run.addShard(0)
            try fixture.run.addCheckpoint(step: 1)
            try fixture.startServing()
            try fixture.waitForIndexed(step: 1, examples: first.count)

            let ids = TinyRun.ids(ofShard: 1)
            let shard = try InPlaceWrite(TinyRun.shard(ids: ids, seed: 1).serialized(asUInt8: false), to: fixture.run.shardURL(.training, 1))
            let complaints = try Self.complaints(during: 2, fixture)
            try shard.finish()
            try fixture.waitForIndexed(step: 1, examples: first.count + ids.count)
            #expect(complaints.isEmpty, "while the shard was half written: \(complaints)")
            let status = try fixture.client().status()
            #expect(status.examples.shardsAccepted == 2 && status.examples.shardsRejected == 0, "\(status.examples)")
        }

        @Test(.timeLimit(.minutes(4)))
        func aCheckpointWrittenInPlaceIsIndexedOnceComplete() throws {
            let fixture = try DaemonFixture()
            let ids = try fixture.run.addShard(0)
            try fixture.startServing()

            // Built elsewhere, then copied into a visible folder file by file, weights last and in halves.
            let built = try TinyRun.writeCheckpoint(step: 5, into: fixture.run.root.appendingPathComponent("workshop"))
            let target = fixture.run.folder.appendingPathComponent(CheckpointLayout.folderName(step: 5))
            let files = [
                "\(CheckpointLayout.schedulerFolder)/\(CheckpointLayout.schedulerConfigFile)",
                "\(CheckpointLayout.unetFolder)/\(UNet2DModel.configFileName)",
            ]
            for file in files {
                let destination = target.appendingPathComponent(file)
                try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
                try FileManager.default.copyItem(at: built.appendingPathComponent(file), to: destination)
            }
            let weightsFile = "\(CheckpointLayout.unetFolder)/\(UNet2DModel.weightsFileName)"
            let weights = try InPlaceWrite([UInt8](Data(contentsOf: built.appendingPathComponent(weightsFile))),
                                           to: target.appendingPathComponent(weightsFile))
            let complaints = try Self.complaints(during: 2, fixture)
            try weights.finish()
            try fixture.waitForIndexed(step: 5, examples: ids.count, afterFailure: true)
            #expect(complaints.isEmpty, "while the weights were half written: \(complaints)")
        }
    }
}

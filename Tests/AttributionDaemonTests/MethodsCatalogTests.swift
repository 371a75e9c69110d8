@testable import AttributionDaemon
import AttributionProtocol
import DiffusionModel
import Foundation
import Indexing
import Numerics
import Testing

/// `status`, `checkpoints` and `example` describe the store as it is.
@Suite struct MethodsCatalogTests {
    @Test func statusCountsTheStoreAndReportsIngestAndConnections() async throws {
        try await MethodsServices.withShared { services, shared in
            let status = try #require(try await services.call(.status, NoParams(), as: StatusResult.self).result)
            #expect(status.version == "9.9.9" && status.storeDirectory == "/store" && status.runDirectory == shared.testRun.folder.path)
            #expect(status.uptimeSeconds > 0 && status.connections == 3)
            #expect(status.checkpoints == StatusResult.Checkpoints(known: 2, indexed: 2, indexing: 0, failed: 0, retired: 0, latestIndexed: 2))
            #expect(status.examples == StatusResult.Examples(training: 18, heldOut: 6, shardsAccepted: 4, shardsRejected: 1))
            #expect(status.backlog.pendingJobs == 2 && status.backlog.failedJobs == 1 && status.backlog.completedJobs == 7)
            #expect(status.backlog.running?.shard == "shard-00009.safetensors" && status.backlog.running?.step == 3)
            #expect(status.errors.count == 2)
            #expect(status.errors.first?.source == "shard-00003.safetensors" && status.errors.first?.time == nil)
            #expect(status.errors.first?.message.contains("already registered") == true)
            #expect(status.errors.last?.source == "watcher" && status.errors.last?.time != nil)
        }
    }

    @Test func checkpointsListProgress() async throws {
        try await MethodsServices.withShared { services, shared in
            let result = try #require(try await services.call(.checkpoints, NoParams(), as: CheckpointsResult.self).result)
            #expect(result.checkpoints.map(\.step) == [1, 2])
            for checkpoint in result.checkpoints {
                #expect(checkpoint.status == "indexed" && checkpoint.failure == nil && checkpoint.indexedAt != nil)
                #expect(checkpoint.shardsIndexed == 3 && checkpoint.shardsTotal == 3 && checkpoint.examples == 18)
                #expect(checkpoint.path == shared.testRun.run.checkpointFolder(step: checkpoint.step).path)
            }
        }
    }

    @Test func exampleMetadataSelfInfluenceAndImage() async throws {
        try await MethodsServices.withShared { services, shared in
            let plain = try #require(try await services.call(.example, ExampleParams(id: 7), as: ExampleResult.self).result)
            #expect(plain.shard == "shard-00001.safetensors" && plain.row == 1 && plain.contributor == 1 && plain.contributorName == "bob")
            #expect(plain.label == 3 && !plain.heldOut && plain.image == nil)
            #expect(plain.selfInfluence.map(\.step) == [1, 2] && plain.selfInfluence.allSatisfy { $0.value > 0 })

            let withImage = try #require(try await services.call(.example, ExampleParams(id: 7, includeImage: true), as: ExampleResult.self).result)
            let image = try #require(withImage.image)
            #expect(image.shape == [1, 8, 8])
            let shard = try DataShard.read(contentsOf: shared.testRun.run.dataFolder.appendingPathComponent("shard-00001.safetensors"))
            #expect(try image.values(maximumElements: 64) == Array(shard.images.scalars[64..<128]))

            let heldOut = try #require(try await services.call(.example, ExampleParams(id: Int64(MethodsTestRun.firstHeldOutID) + 2),
                                                              as: ExampleResult.self).result)
            #expect(heldOut.heldOut && heldOut.shard == "heldout-00000.safetensors" && heldOut.row == 2)
        }
    }

    @Test func anImageWhoseShardFileIsGoneIsUnreadable() async throws {
        let run = try MethodsTestRun.make()
        defer { run.remove() }
        let (store, settings) = try run.openStore("store")
        try run.index(store, steps: [1])
        try FileManager.default.removeItem(at: run.run.dataFolder.appendingPathComponent("shard-00002.safetensors"))
        try await MethodsServices.with(run: run.run, store: store, settings: settings) { services in
            let error = try #require(try await services.call(.example, ExampleParams(id: 13, includeImage: true)).error)
            #expect(error.knownCode == .unreadableFile)
            let plain = try #require(try await services.call(.example, ExampleParams(id: 13), as: ExampleResult.self).result)
            #expect(plain.label == nil && plain.row == 1)
        }
    }
}

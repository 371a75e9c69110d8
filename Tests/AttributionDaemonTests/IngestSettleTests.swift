import AttributionDaemon
import AttributionStore
import DiffusionModel
import Foundation
import Indexing
import Testing

/// Files written in place are waited for, not read half written: the service counts a file once
/// inotify reports it closed or renamed into place, or once it has been quiet for the settle
/// interval.
@Suite(.serialized) struct IngestSettleTests {
    @Test(.timeLimit(.minutes(10)))
    func filesCountWhenClosedOrRenamedIntoPlaceNeverHalfWritten() async throws {
        let run = try IngestTestRun.make(shards: 2)
        defer { run.remove() }
        try run.backdateFiles()  // written long before start-up: they count by the quiet rule
        let store = try run.openStore()
        // Only events settle a new file: the quiet period and the periodic rescan never come.
        let policy = IngestPolicy(retainCheckpoints: 0, jobAttempts: 1, rescanInterval: .seconds(3600), settleInterval: .seconds(3600))
        let service = IngestServiceTests.service(run, store, policy: policy)
        let task = Task { try await service.run() }
        try await eventually("checkpoint 1 indexed") { try IngestServiceTests.fullyIndexed(store, step: 1) }

        // A shard created empty, then written in two halves under its final name: its first
        // close is reported while it is being written, yet it is neither taken nor refused.
        let shard = try HalfWrittenFile(try Self.shardBytes(number: 2, run), to: run.data.appendingPathComponent(Self.shardName(2)),
                                        createdEmptyFirst: true)
        try await Self.expectQuiet(for: .milliseconds(1500), service, store) { try IngestServiceTests.shard(store, number: 2) == nil }
        try shard.finish()
        try await eventually("the closed shard indexed") {
            try IngestServiceTests.shard(store, number: 2)?.status == .accepted && IngestServiceTests.fullyIndexed(store, step: 1)
        }

        // A shard renamed into place counts at once.
        try IngestTestRun.writeShard(number: 3, in: run.data)
        try await eventually("the renamed shard registered", timeout: .seconds(30)) { try IngestServiceTests.shard(store, number: 3) != nil }

        // A checkpoint written file by file into its visible folder, the weights in two halves.
        let target = run.run.checkpointFolder(step: 2)
        let files = ["scheduler/scheduler_config.json", "unet/config.json"]
        for file in files {
            let destination = target.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: run.laterCheckpoint.appendingPathComponent(file), to: destination)
        }
        let weightsFile = "unet/\(UNet2DModel.weightsFileName)"
        let weights = try HalfWrittenFile([UInt8](Data(contentsOf: run.laterCheckpoint.appendingPathComponent(weightsFile))),
                                          to: target.appendingPathComponent(weightsFile))
        try await Self.expectQuiet(for: .milliseconds(1500), service, store) { try store.status(ofCheckpoint: 2) == nil }
        try weights.finish()
        try await eventually("the closed checkpoint indexed") { try IngestServiceTests.fullyIndexed(store, step: 2) }
        #expect(service.status().recentErrors.isEmpty, "\(service.status().recentErrors)")

        task.cancel()
        try await task.value
    }

    @Test(.timeLimit(.minutes(10)))
    func filesNotSeenClosedCountOnceQuietForTheSettleIntervalWithoutWaitingForThePeriodicRescan() async throws {
        let run = try IngestTestRun.make(shards: 1)
        defer { run.remove() }
        let store = try run.openStore()
        let policy = IngestPolicy(retainCheckpoints: 0, jobAttempts: 1, rescanInterval: .seconds(3600), settleInterval: .seconds(3))
        let service = IngestServiceTests.service(run, store, policy: policy)
        let task = Task { try await service.run() }

        // The checkpoint was written just before start-up, unseen: it counts once quiet for 3 s.
        try await Task.sleep(for: .milliseconds(500))
        #expect(try store.status(ofCheckpoint: 1) == nil)
        try await eventually("checkpoint 1 indexed") { try IngestServiceTests.fullyIndexed(store, step: 1) }

        // Whole but still open, so no close event; a rescan sees it and comes back when it settles.
        let shard = try HalfWrittenFile(try Self.shardBytes(number: 1, run), to: run.data.appendingPathComponent(Self.shardName(1)),
                                        firstPart: 1)
        service.requestRescan()
        try await Task.sleep(for: .milliseconds(500))
        #expect(try IngestServiceTests.shard(store, number: 1) == nil)
        try await eventually("the quiet shard registered", timeout: .seconds(60)) {
            try IngestServiceTests.shard(store, number: 1)?.status == .accepted
        }
        try shard.finish()
        #expect(service.status().recentErrors.isEmpty, "\(service.status().recentErrors)")

        task.cancel()
        try await task.value
    }

    static func shardName(_ number: Int) -> String { DataShardFileName.name(.training, number: number) }

    /// The bytes of training shard `number` as ``IngestTestRun/writeShard(number:in:)`` makes it.
    static func shardBytes(number: Int, _ run: IngestTestRun) throws -> [UInt8] {
        let scratch = run.folder.deletingLastPathComponent().appendingPathComponent("scratch-\(number)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        try IngestTestRun.writeShard(number: number, in: scratch)
        return try [UInt8](Data(contentsOf: scratch.appendingPathComponent(shardName(number))))
    }

    /// Watches the service for `duration`: `condition` must hold throughout, and nothing may be
    /// reported as an error.
    static func expectQuiet(
        for duration: Duration, _ service: IngestService, _ store: AttributionStore, _ condition: () throws -> Bool
    ) async throws {
        let end = ContinuousClock.now + duration
        while ContinuousClock.now < end {
            #expect(try condition())
            #expect(service.status().recentErrors.isEmpty, "\(service.status().recentErrors)")
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}

/// A file written under its final name in two parts with the file left open in between, as
/// writers that do not rename leave it mid-write.
final class HalfWrittenFile {
    private let handle: FileHandle
    private let rest: Data

    /// Creates `url` and writes the first `firstPart` of `bytes` (half by default). When
    /// `createdEmptyFirst`, the file is created empty and closed, then reopened to write, as
    /// `FileManager.createFile` users do: the close is reported before the writing starts.
    init(_ bytes: [UInt8], to url: URL, firstPart: Double = 0.5, createdEmptyFirst: Bool = false) throws {
        if createdEmptyFirst {
            try Data().write(to: url)
            handle = try FileHandle(forWritingTo: url)
        } else {
            let descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path]) }
            handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        }
        let split = Int(Double(bytes.count) * firstPart)
        try handle.write(contentsOf: Data(bytes.prefix(split)))
        rest = Data(bytes.dropFirst(split))
    }

    /// Writes the rest and closes the file.
    func finish() throws {
        if !rest.isEmpty { try handle.write(contentsOf: rest) }
        try handle.close()
    }
}

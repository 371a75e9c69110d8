import AttributionStore
import Foundation
import Indexing
import Numerics
import Testing

/// kill -9 during `attributiond index`, restart, repeat: the store must end up exactly as one
/// uninterrupted run leaves it, with no shard indexed twice or skipped.
@Suite struct CrashRecoveryTests {
    /// The built `attributiond` next to the test bundle (both are products of the same build).
    static func executable() throws -> URL {
        let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [folder, folder.deletingLastPathComponent()].map { $0.appendingPathComponent("attributiond") }
        return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
                            "attributiond not built next to the tests (build with --build-tests)")
    }

    /// Starts `attributiond index` on the run into `store` with the test's settings.
    static func startIndexing(run: IndexingTestRun, store: URL) throws -> Process {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = ["index", run.folder.path, "--store", store.path, "--projection", "4", "--draws", "2",
                             "--precision", "float32", "--blas-threads", "1"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Everything indexing decides, keyed so stores with different block sizes compare equal:
    /// per checkpoint, every example's stored vector, the factor records, and the progress.
    struct Contents: Equatable {
        var rows: [String: [Float]] = [:]
        var factors: [FactorRecord] = []
        var progress: [ProgressRecord] = []
        var indexed: [UInt64] = []
    }

    static func contents(of folder: URL) throws -> Contents {
        let (store, _) = try IndexStoreFolder.open(folder, requested: nil)
        return try store.read { transaction in
            var contents = Contents()
            for checkpoint in try store.checkpoints(in: transaction) {
                if checkpoint.status == .indexed { contents.indexed.append(checkpoint.step) }
                try store.forEachGradientBlock(steps: [checkpoint.step], in: transaction) { block in
                    for row in 0..<block.rows { contents.rows["\(checkpoint.step)/\(block.ids[row])"] = block.row(row) }
                }
                contents.factors += try store.factors(step: checkpoint.step, in: transaction)
                contents.progress += try store.progress(ofCheckpoint: checkpoint.step, in: transaction)
            }
            return contents
        }
    }

    @Test(.timeLimit(.minutes(10)))
    func killedIndexingResumesToTheUninterruptedResult() throws {
        let run = try IndexingTestRun.make()
        defer { run.remove() }

        let reference = run.storeFolder("reference")
        let clock = ContinuousClock()
        let start = clock.now
        let uninterrupted = try Self.startIndexing(run: run, store: reference)
        uninterrupted.waitUntilExit()
        let duration = clock.now - start
        #expect(uninterrupted.terminationStatus == 0)
        let expected = try Self.contents(of: reference)
        #expect(expected.indexed == [1, 2] && expected.progress.count == 6 && expected.rows.count == 36)

        // Kill at seeded random moments across the run until one finishes on its own.
        let crashed = run.storeFolder("crashed")
        var generator = SeededGenerator(keys: 0xC4A5)
        var partialStates = Set<Int>()
        var kills = 0
        while kills < 6 {
            let process = try Self.startIndexing(run: run, store: crashed)
            Thread.sleep(forTimeInterval: (duration / .seconds(1)) * Double(0.15 + 0.7 * generator.nextUniform()))
            guard process.isRunning else { process.waitUntilExit(); break }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            kills += 1
            if FileManager.default.fileExists(atPath: crashed.appendingPathComponent("settings.json").path) {
                let partial = try Self.contents(of: crashed)
                // Whole shards only: every progress mark has exactly its shard's rows.
                #expect(partial.rows.count == 6 * partial.progress.count)
                partialStates.insert(partial.progress.count)
            }
        }
        let final = try Self.startIndexing(run: run, store: crashed)
        final.waitUntilExit()
        #expect(final.terminationStatus == 0)
        #expect(try Self.contents(of: crashed) == expected)
        // At least one kill landed after some but not all of the work was committed.
        #expect(!partialStates.subtracting([0, 6]).isEmpty, "kills left states \(partialStates); none was mid-run")
    }
}

import ArgumentParser
import Attribution
import AttributionStore
import Foundation
import Indexing
import Numerics

/// `attributiond index`: indexes a training run's shards at its checkpoints, resumably.
struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Store projected per-example gradients and curvature factors of a training run (resumable).",
        discussion: """
            Each (checkpoint, shard) is one transaction: an interrupted run (even kill -9) leaves \
            whole shards indexed, and running the command again does only what is missing. \
            Settings are fixed when the store is created and kept in its settings.json.
            """
    )

    @Argument(help: "Training run folder (data/ with shards, checkpoint-<step>/ folders).")
    var trainingDir: String

    @Option(help: "Store folder (default: <training-dir>/attribution-store).")
    var store: String?

    @Option(name: .customLong("checkpoint"), help: "Checkpoint step to index (repeatable; default: every checkpoint present).")
    var checkpoints: [Int] = []

    @Option(help: "Projected dimensions per side of every layer, or 0 for no projection (new stores only).")
    var projection: Int = 8

    @Option(help: "(t, ε) draws averaged into each training example's gradient (new stores only).")
    var draws: Int = 4

    @Option(help: "Stored precision: float16 or float32 (new stores only).")
    var precision: String = "float16"

    @Option(help: "Seed of the projection and the draws (new stores only).")
    var seed: UInt64 = 0

    @Option(help: "OpenBLAS threads (default: all cores).")
    var blasThreads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard projection >= 0, draws >= 1, blasThreads >= 1 else {
            throw ValidationError("--projection must be at least 0, --draws and --blas-threads at least 1.")
        }
        guard GradientDType.allCases.contains(where: { "\($0)" == precision }) else {
            throw ValidationError("--precision must be float16 or float32.")
        }
    }

    func run() throws {
        BLASThreads.set(blasThreads)
        let run = TrainingRun(folder: URL(fileURLWithPath: trainingDir))
        let folder = URL(fileURLWithPath: store ?? run.folder.appendingPathComponent("attribution-store").path)
        let requested = IndexSettings(
            gradients: GradientSettings(
                projection: projection == 0 ? .identity : .fixed(inputs: projection, outputs: projection),
                projectionSeed: seed, drawSeed: seed, drawsPerExample: draws),
            precision: GradientDType.allCases.first { "\($0)" == precision } ?? .float16)
        let opened = try IndexStoreFolder.openOrCreate(folder, settingsForNewStore: requested)
        print("store: \(folder.path) (\(opened.settings.storeFingerprint), \(opened.settings.precision))")
        let indexer = Indexer(run: run, store: opened.store, settings: opened.settings) { printProgress(Self.describe($0)) }
        let failed = try indexer.index(steps: checkpoints.isEmpty ? nil : checkpoints)
        let summary = try opened.store.read { try opened.store.summary(in: $0) }
        print("store now: \(summary.indexedCheckpoints) of \(summary.checkpoints) checkpoints indexed, "
              + "\(summary.examples) examples in \(summary.acceptedShards) of \(summary.shards) shards")
        if !failed.isEmpty { throw ExitCode(1) }
    }

    static func describe(_ event: IndexingEvent) -> String {
        switch event {
        case .shardAccepted(let file, let examples, let isHeldOut):
            "shard \(file): \(examples) examples registered\(isHeldOut ? " (held out, not attributed)" : "")"
        case .shardRejected(let file, let reason): "shard \(file): REJECTED: \(reason)"
        case .checkpointStarted(let step, let pending): "checkpoint \(step): \(pending) shard(s) to index"
        case .shardIndexed(let step, let file, let examples, let seconds):
            String(format: "checkpoint %d: %@ indexed, %d examples in %.1f s (%.1f examples/s)",
                   step, file, examples, seconds, Double(examples) / max(seconds, 1e-9))
        case .checkpointIndexed(let step, let examples): "checkpoint \(step): indexed (\(examples) examples)"
        case .checkpointFailed(let step, let reason): "checkpoint \(step): FAILED: \(reason)"
        case .checkpointRegistered(let step): "checkpoint \(step): registered"
        case .checkpointRetired(let step): "checkpoint \(step): retired"
        case .jobsQueued(let count): "\(count) job(s) queued"
        case .jobFailed(let job, let reason, let willRetry):
            "checkpoint \(job.step)\(job.shardFile.map { ", \($0)" } ?? ""): job failed (attempt \(job.attempt))\(willRetry ? ", retrying" : ""): \(reason)"
        }
    }
}

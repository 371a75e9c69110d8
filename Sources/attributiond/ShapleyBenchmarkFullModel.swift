import Attribution
import AttributionStore
import DiffusionModel
import Foundation
import Indexing

/// The model being valued: trained by the file-based ``Trainer`` into the work folder's run, then
/// indexed into the work folder's store for the influence estimator. Both are reused when their
/// stamps match the settings.
enum ShapleyBenchmarkFullModel {
    /// The model trained with `config` on the run's data (loaded when already trained), and the
    /// seconds its training took.
    static func trained(config: TrainingConfig, work: ShapleyBenchmarkWork, fingerprint: String) throws -> (model: UNet2DModel, seconds: Double) {
        let folder = work.run.appendingPathComponent(CheckpointLayout.folderName(step: config.steps))
        if let seconds = work.currentSeconds("full-model", fingerprint: fingerprint), FileManager.default.fileExists(atPath: folder.path) {
            return (try Checkpoint.load(folder).model, seconds)
        }
        for step in try Checkpoint.steps(inRun: work.run) {
            try work.remove(work.run.appendingPathComponent(CheckpointLayout.folderName(step: step)))
        }
        try work.remove(work.store)
        printProgress("full model: training \(config.steps) steps of batch \(config.batchSize)")
        let trainer = try Trainer(config: config, dataFolder: work.run.appendingPathComponent("data"), runFolder: work.run, resume: false)
        let observer = TrainingProgressLines(prefix: "full model")
        trainer.observer = observer
        let seconds = try timedThrowing { try trainer.train() }
        guard FileManager.default.fileExists(atPath: folder.path) else { throw ShapleyBenchmarkError.fullModelMissing(run: work.run.path) }
        try work.stamp("full-model", fingerprint: fingerprint, seconds: seconds)
        return (try Checkpoint.load(folder).model, seconds)
    }

    /// The store holding the checkpoint at `step` indexed with `settings` (indexing it unless the
    /// stamp says it is), its settings, and the seconds indexing took.
    static func indexed(
        step: Int, settings: IndexSettings, work: ShapleyBenchmarkWork, fingerprint: String
    ) throws -> (store: AttributionStore, settings: IndexSettings, seconds: Double) {
        if let seconds = work.currentSeconds("index", fingerprint: fingerprint), FileManager.default.fileExists(atPath: work.store.path) {
            let opened = try IndexStoreFolder.open(work.store, requested: settings)
            return (opened.store, opened.settings, seconds)
        }
        try work.remove(work.store)
        printProgress("full model: indexing per-example gradients and curvature (\(settings.storeFingerprint))")
        let opened = try IndexStoreFolder.open(work.store, requested: settings)
        let indexer = Indexer(run: TrainingRun(folder: work.run), store: opened.store, settings: opened.settings) {
            if case .shardIndexed = $0 { printProgress("  " + IndexCommand.describe($0)) }
        }
        var failed: [Int] = []
        let seconds = try timedThrowing { failed = try indexer.index(steps: [step]) }
        guard failed.isEmpty else { throw ShapleyBenchmarkError.indexingFailed(step: step) }
        try work.stamp("index", fingerprint: fingerprint, seconds: seconds)
        return (opened.store, opened.settings, seconds)
    }
}

/// Seconds taken by a throwing `body` (``timed(_:)`` for bodies whose errors propagate).
func timedThrowing(_ body: () throws -> Void) throws -> Double {
    let start = ContinuousClock.now
    try body()
    return (ContinuousClock.now - start) / .seconds(1)
}

/// Prints a training run's reports as progress lines under a prefix.
final class TrainingProgressLines: TrainingObserver {
    private let prefix: String

    /// Lines starting with `prefix`.
    init(prefix: String) { self.prefix = prefix }

    func trainingDidLoadData(examples: Int, shards: Int) {}

    func trainingDidReport(_ report: TrainingReport) {
        printProgress(String(format: "  %@: step %d/%d loss %.4f (%.0f examples/s)", prefix, report.step, report.totalSteps,
                             report.meanLoss, report.examplesPerSecond))
    }

    func trainingDidWriteCheckpoint(_ folder: URL, step: Int) {}
}

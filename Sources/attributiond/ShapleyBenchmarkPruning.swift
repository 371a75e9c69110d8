import ContributorValuation
import DiffusionModel
import Foundation

/// The sparsified fine-tuning game's starting point: the full model pruned to the configured
/// sparsity and recovered on all data, kept in the work folder under its fingerprint.
enum ShapleyBenchmarkPruning {
    /// The pruned and recovered model (read when the file matches `fingerprint`), and the seconds
    /// pruning and recovery took.
    static func prepared(
        full: UNet2DModel, config: TrainingConfig, settings: ShapleyBenchmarkConfig.SparsifiedSettings, data: ShapleyBenchmarkData,
        work: ShapleyBenchmarkWork, fingerprint: String
    ) throws -> (model: PrunedModel, seconds: Double) {
        if let seconds = work.currentSeconds("pruned-model", fingerprint: fingerprint),
           let model = try? PrunedModel.read(contentsOf: work.prunedModel, config: config.model, fingerprint: fingerprint) {
            return (model, seconds)
        }
        printProgress(String(format: "sparsified: pruning to %.0f%% and recovering %d steps on all data",
                             settings.sparsity * 100, settings.recovery.steps))
        let prepared = try SparsifiedFineTuningGame.prepareMeasuringCost(
            base: full.parameters, config: config.model, schedulerConfig: config.schedulerConfig, sparsity: settings.sparsity,
            recovery: settings.recovery, images: data.images, ids: data.ids)
        try prepared.model.write(to: work.prunedModel, fingerprint: fingerprint)
        try work.stamp("pruned-model", fingerprint: fingerprint, seconds: prepared.cost.totalSeconds)
        return (prepared.model, prepared.cost.totalSeconds)
    }
}

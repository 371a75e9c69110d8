import DiffusionModel
import Foundation
import Numerics
import SafeTensors

/// Everything an attribution method is judged against, built once and cached in a work folder:
/// the training examples, the model trained on all of them, query samples generated from it,
/// the random subsets, and every sample's measurement under every model retrained on a subset.
///
/// Cached files in the work folder: `models/` (``RetrainingCache``), `samples.safetensors`, and
/// `measurements.json` (per cache entry, so adding seeds or subsets measures only the new models).
public struct LDSGroundTruth: Sendable {
    /// The training examples `[N, C, H, W]` and their ids.
    public let trainingImages: Tensor
    /// Ids of the training examples.
    public let ids: [Int64]
    /// The model trained on all `N` examples; samples are generated from it and attributed to it.
    public let fullModel: UNet2DModel
    /// Its noise schedule.
    public let scheduler: DDPMScheduler
    /// The query samples `[Q, C, H, W]`.
    public let samples: Tensor
    /// The subsets.
    public let plan: SubsetPlan
    /// `measurements[j][q]`: sample q's measurement under subset j's models, averaged over seeds.
    public let measurements: [[Double]]

    /// Builds (or loads from `work`) the ground truth of `settings` on the training shards of `data`.
    ///
    /// - Parameter log: Receives one line per expensive step.
    public static func prepare(
        settings: LDSProtocol, data: URL, work: URL, log: @escaping (String) -> Void
    ) throws -> LDSGroundTruth {
        let config = try TrainingConfig.load(contentsOf: URL(fileURLWithPath: settings.trainingConfig))
        let all = try TrainingData(folder: data, imageShape: [config.model.inChannels, config.imageSize, config.imageSize])
        guard all.count >= settings.examples else { throw LDSGroundTruthError.tooFewExamples(found: all.count, needed: settings.examples) }
        let (images, ids) = all.batch(Array(0..<settings.examples))
        let cache = RetrainingCache(folder: work.appendingPathComponent("models"), config: config)
        let reporter = TrainingLog(log: log)

        log("full model: training on \(settings.examples) examples (or loading it)")
        let full = try cache.model(entry: "full-seed-0", seed: 0, examples: Array(0..<settings.examples), of: all,
                                   progress: reporter)
        let scheduler = try DDPMScheduler(config: config.schedulerConfig)
        let samples = try querySamples(settings: settings, model: full, config: config, work: work, log: log)

        let plan = SubsetPlan(examples: settings.examples, count: settings.subsets, fraction: settings.fraction, seed: settings.seed)
        let measurement = SampleLossMeasurement(draws: settings.measurementDraws, seed: settings.seed)
        var store = try MeasurementFile(url: work.appendingPathComponent("measurements.json"))
        var perSubset: [[Double]] = []
        for (index, subset) in plan.subsets.enumerated() {
            var sum = [Double](repeating: 0, count: settings.samples)
            for seed in 0..<settings.seedsPerSubset {
                let entry = RetrainingCache.entryName(subset: index, seed: seed)
                let values: [Double]
                if let cached = store.values[entry], cached.count == settings.samples {
                    values = cached
                } else {
                    log("subset \(index + 1)/\(plan.subsets.count), seed \(seed): training (or loading) and measuring")
                    let model = try cache.model(entry: entry, seed: seed, examples: subset, of: all, progress: reporter)
                    values = measurement.measure(samples: samples, model: model, scheduler: scheduler)
                    store.values[entry] = values
                    try store.save()
                }
                for query in sum.indices { sum[query] += values[query] }
            }
            perSubset.append(sum.map { $0 / Double(settings.seedsPerSubset) })
        }
        return LDSGroundTruth(trainingImages: images, ids: ids, fullModel: full, scheduler: scheduler,
                              samples: samples, plan: plan, measurements: perSubset)
    }

    /// The query samples, generated from the full model once and then read from `samples.safetensors`.
    private static func querySamples(
        settings: LDSProtocol, model: UNet2DModel, config: TrainingConfig, work: URL, log: (String) -> Void
    ) throws -> Tensor {
        let url = work.appendingPathComponent("samples.safetensors")
        let shape = [settings.samples, config.model.inChannels, config.imageSize, config.imageSize]
        if let file = try? SafeTensorsFile(contentsOf: url), file.entry("samples")?.shape == shape {
            return Tensor(shape: shape, scalars: try file.floats("samples"))
        }
        log("generating \(settings.samples) query samples with \(settings.samplingSteps) steps")
        let sampler = AncestralSampler(model: model, schedulerConfig: config.schedulerConfig)
        let samples = try sampler.sample(count: settings.samples, size: config.imageSize, steps: settings.samplingSteps, seed: settings.seed)
        var writer = SafeTensorsWriter()
        writer.add("samples", float32: samples.scalars, shape: shape)
        try writer.write(to: url)
        return samples
    }
}

/// Why the ground truth cannot be built.
public enum LDSGroundTruthError: Error, CustomStringConvertible {
    /// The data folder has fewer training examples than the protocol asks for.
    case tooFewExamples(found: Int, needed: Int)

    public var description: String {
        switch self {
        case .tooFewExamples(let found, let needed): "LDS: the data folder has \(found) training examples, the protocol needs \(needed)"
        }
    }
}

/// Cached measurements, one array per retrained model, saved after every new model.
private struct MeasurementFile {
    let url: URL
    var values: [String: [Double]]

    init(url: URL) throws {
        self.url = url
        values = FileManager.default.fileExists(atPath: url.path)
            ? try JSONDecoder().decode([String: [Double]].self, from: Data(contentsOf: url)) : [:]
    }

    func save() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(values).write(to: url, options: .atomic)
    }
}

/// Forwards a retraining run's progress to the benchmark's log, one line per report.
private final class TrainingLog: TrainingObserver {
    let log: (String) -> Void
    init(log: @escaping (String) -> Void) { self.log = log }
    func trainingDidLoadData(examples: Int, shards: Int) {}
    func trainingDidReport(_ report: TrainingReport) {
        log(String(format: "  step %d/%d loss %.4f (%.0f examples/s)", report.step, report.totalSteps, report.meanLoss, report.examplesPerSecond))
    }
    func trainingDidWriteCheckpoint(_ folder: URL, step: Int) {}
}

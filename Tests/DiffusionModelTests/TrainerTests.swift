import DiffusionModel
import Foundation
import Numerics
import Testing

/// Tiny models, data folders and temporary run folders for the trainer, checkpoint and sampler tests.
enum TrainingTestSupport {
    /// A two-level model on 4×4 single-channel images with every block kind (45 tensors).
    static func tinyModelConfig() throws -> UNet2DConfig {
        try UNet2DConfig(
            sampleSize: 4, inChannels: 1, outChannels: 1,
            downBlockTypes: [.downBlock2D, .attnDownBlock2D], upBlockTypes: [.attnUpBlock2D, .upBlock2D],
            blockOutChannels: [4, 8], layersPerBlock: 1, attentionHeadDim: 4, normNumGroups: 2,
            resnetTimeScaleShift: .scaleShift)
    }

    /// Training settings for the tiny model: full batches of the 8 examples, a short warm-up.
    static func tinyTrainingConfig(steps: Int, checkpointEvery: Int, useEMA: Bool = true) throws -> TrainingConfig {
        var config = TrainingConfig(model: try tinyModelConfig())
        config.batchSize = 8
        config.learningRate = 1e-2
        config.warmupSteps = 2
        config.steps = steps
        config.checkpointEvery = checkpointEvery
        config.logEvery = 1
        config.seed = 3
        config.useEMA = useEMA
        return config
    }

    /// A fresh empty folder; remove it with ``remove(_:)``.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("attributiond-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func remove(_ url: URL) {
        try? FileManager.default.removeItem(at: url)
    }

    /// A data folder with one training shard of 8 simple 1×4×4 images (bars and checkers, ids
    /// 100…107) and one held-out shard the trainer must not read (it has the wrong image size).
    static func dataFolder(in root: URL) throws -> URL {
        let folder = root.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let images = (0..<8).flatMap { example in
            (0..<16).map { pixel -> Float in
                let (row, column) = (pixel / 4, pixel % 4)
                let on = example % 2 == 0 ? (column + example / 2) % 4 < 2 : (row + column + example) % 2 == 0
                return on ? 0.8 : -0.8
            }
        }
        try DataShard(images: Tensor(shape: [8, 1, 4, 4], scalars: images), ids: (100..<108).map { $0 })
            .write(to: folder.appendingPathComponent("shard-00000.safetensors"), asUInt8: false)
        try DataShard(images: Tensor(shape: [1, 1, 2, 2], repeating: 0), ids: [900])
            .write(to: folder.appendingPathComponent("heldout-00000.safetensors"), asUInt8: false)
        return folder
    }
}

/// The trainer: learning, checkpoints, exact resumption, and refusal of bad setups.
@Suite struct TrainerTests {
    @Test func trainingDecreasesTheLossOnAFixedBatch() throws {
        let root = try TrainingTestSupport.temporaryFolder()
        defer { TrainingTestSupport.remove(root) }
        let config = try TrainingTestSupport.tinyTrainingConfig(steps: 40, checkpointEvery: 100)
        let trainer = try Trainer(
            config: config, dataFolder: try TrainingTestSupport.dataFolder(in: root),
            runFolder: root.appendingPathComponent("run"), resume: false)
        #expect(trainer.data.count == 8)

        let objective = DenoisingObjective(
            model: UNet2DModel(config: config.model, seed: 0), scheduler: try DDPMScheduler(config: config.schedulerConfig))
        var generator = SeededGenerator(keys: 77)
        let noise = Tensor(shape: [8, 1, 4, 4], scalars: generator.normals(count: 128))
        let timesteps = [5, 50, 120, 250, 400, 550, 700, 850]
        func fixedBatchLoss() -> Float {
            objective.loss(parameters: trainer.parameters, images: trainer.data.images, noise: noise, timesteps: timesteps)
        }
        let before = fixedBatchLoss()
        try trainer.train()
        let after = fixedBatchLoss()
        #expect(trainer.step == 40)
        #expect(after < 0.7 * before, "loss \(before) → \(after)")
    }

    @Test func theFinalCheckpointLoadsBackIdentically() throws {
        let root = try TrainingTestSupport.temporaryFolder()
        defer { TrainingTestSupport.remove(root) }
        let run = root.appendingPathComponent("run")
        let config = try TrainingTestSupport.tinyTrainingConfig(steps: 5, checkpointEvery: 2)
        let trainer = try Trainer(config: config, dataFolder: try TrainingTestSupport.dataFolder(in: root), runFolder: run, resume: false)
        let recorder = RecordingObserver()
        trainer.observer = recorder
        try trainer.train()

        #expect(try Checkpoint.steps(inRun: run) == [2, 4, 5])
        #expect(recorder.checkpoints == [2, 4, 5] && recorder.reports.map(\.step) == [1, 2, 3, 4, 5] && recorder.dataLoads == [8])
        #expect(recorder.reports.allSatisfy { $0.meanLoss.isFinite && $0.examplesPerSecond > 0 && $0.totalSteps == 5 })
        let checkpoint = try Checkpoint.load(run.appendingPathComponent("checkpoint-5"))
        #expect(checkpoint.step == 5)
        #expect(checkpoint.model.config == config.model)
        #expect(checkpoint.model.parameters == trainer.parameters)
        #expect(checkpoint.averagedModel != nil && checkpoint.averagedModel?.parameters != trainer.parameters)
        #expect(checkpoint.schedulerConfig == config.schedulerConfig)
        let state = try checkpoint.trainingState(optimizerSettings: config.adam)
        #expect(state.step == 5 && state.optimizer.stepCount == 5 && state.averageUpdateCount == 5)
        #expect(state.optimizer.firstMoments.count == trainer.parameters.count)
    }

    @Test func resumingContinuesExactlyAsAnUninterruptedRun() throws {
        let root = try TrainingTestSupport.temporaryFolder()
        defer { TrainingTestSupport.remove(root) }
        let data = try TrainingTestSupport.dataFolder(in: root)
        let config = try TrainingTestSupport.tinyTrainingConfig(steps: 6, checkpointEvery: 10)

        let straight = try Trainer(config: config, dataFolder: data, runFolder: root.appendingPathComponent("a"), resume: false)
        try straight.train()

        let interruptedRun = root.appendingPathComponent("b")
        let first = try Trainer(config: config, dataFolder: data, runFolder: interruptedRun, resume: false)
        try first.train(stoppingAfter: 3)
        #expect(try Checkpoint.steps(inRun: interruptedRun) == [3])
        let second = try Trainer(config: config, dataFolder: data, runFolder: interruptedRun, resume: true)
        #expect(second.step == 3)
        try second.train()
        #expect(try Checkpoint.steps(inRun: interruptedRun) == [3, 6])
        #expect(second.parameters == straight.parameters)
        let a = try Checkpoint.load(root.appendingPathComponent("a/checkpoint-6"))
        let b = try Checkpoint.load(interruptedRun.appendingPathComponent("checkpoint-6"))
        #expect(a.averagedModel?.parameters == b.averagedModel?.parameters)
    }

    @Test func refusesToTrainIntoAStartedRunWithoutResume() throws {
        let root = try TrainingTestSupport.temporaryFolder()
        defer { TrainingTestSupport.remove(root) }
        let data = try TrainingTestSupport.dataFolder(in: root)
        let run = root.appendingPathComponent("run")
        let config = try TrainingTestSupport.tinyTrainingConfig(steps: 1, checkpointEvery: 1, useEMA: false)
        try Trainer(config: config, dataFolder: data, runFolder: run, resume: false).train()
        #expect(throws: TrainingError.runAlreadyStarted(folder: run.path)) {
            try Trainer(config: config, dataFolder: data, runFolder: run, resume: false)
        }
        var other = config
        other.betaSchedule = .squaredcosCapV2
        #expect(throws: TrainingError.self) { try Trainer(config: other, dataFolder: data, runFolder: run, resume: true) }
    }

    @Test func refusesDataThatDoesNotFitTheModel() throws {
        let root = try TrainingTestSupport.temporaryFolder()
        defer { TrainingTestSupport.remove(root) }
        let empty = root.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let config = try TrainingTestSupport.tinyTrainingConfig(steps: 1, checkpointEvery: 1)
        let run = root.appendingPathComponent("run")
        #expect(throws: TrainingError.noShards(folder: empty.path)) {
            try Trainer(config: config, dataFolder: empty, runFolder: run, resume: false)
        }
        let wrong = root.appendingPathComponent("wrong")
        try FileManager.default.createDirectory(at: wrong, withIntermediateDirectories: true)
        let shard = wrong.appendingPathComponent("shard-00000.safetensors")
        try DataShard(images: Tensor(shape: [2, 3, 4, 4], repeating: 0), ids: [1, 2]).write(to: shard, asUInt8: true)
        #expect(throws: TrainingError.imageShapeMismatch(path: shard.path, found: [3, 4, 4], expected: [1, 4, 4])) {
            try Trainer(config: config, dataFolder: wrong, runFolder: run, resume: false)
        }
    }

    @Test func minibatchesVisitEveryExampleOncePerEpoch() {
        let draws = TrainingDraws(seed: 5)
        let epoch = (0..<4).flatMap { draws.batchIndices(step: $0, batchSize: 5, exampleCount: 20) }
        #expect(epoch.sorted() == Array(0..<20))
        #expect(epoch != Array(0..<20))
        #expect(draws.batchIndices(step: 2, batchSize: 5, exampleCount: 20) == TrainingDraws(seed: 5).batchIndices(step: 2, batchSize: 5, exampleCount: 20))
        #expect(draws.batchIndices(step: 0, batchSize: 20, exampleCount: 20) != TrainingDraws(seed: 6).batchIndices(step: 0, batchSize: 20, exampleCount: 20))
        let draw = draws.timestepAndNoise(step: 3, exampleID: 42, trainTimesteps: 1000, count: 6)
        #expect((0..<1000).contains(draw.timestep) && draw.noise.count == 6)
        #expect(draws.timestepAndNoise(step: 3, exampleID: 42, trainTimesteps: 1000, count: 6) == draw)
        #expect(draws.timestepAndNoise(step: 4, exampleID: 42, trainTimesteps: 1000, count: 6).noise != draw.noise)
    }
}

/// Remembers what a trainer reported.
private final class RecordingObserver: TrainingObserver {
    var reports: [TrainingReport] = []
    var checkpoints: [Int] = []
    var dataLoads: [Int] = []

    func trainingDidLoadData(examples: Int, shards: Int) { dataLoads.append(examples) }
    func trainingDidReport(_ report: TrainingReport) { reports.append(report) }
    func trainingDidWriteCheckpoint(_ folder: URL, step: Int) { checkpoints.append(step) }
}

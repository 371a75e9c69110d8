import DiffusionModel
import Foundation
import Numerics
import SafeTensors
import Testing

/// Checkpoint folders: diffusers' layout, exact round trips, atomic appearance, typed errors.
@Suite struct CheckpointTests {
    private static func model(seed: UInt64) throws -> UNet2DModel {
        UNet2DModel(config: try TrainingTestSupport.tinyModelConfig(), seed: seed)
    }

    /// An optimiser state after one step over `model`'s parameters.
    private static func state(for model: UNet2DModel) -> TrainingState {
        var parameters = model.parameters
        var optimizer = AdamW(settings: AdamW.Settings())
        let gradients = Dictionary(uniqueKeysWithValues: parameters.entries.map { ($0.name, Tensor(shape: $0.tensor.shape, repeating: 0.5)) })
        optimizer.step(parameters: &parameters, gradients: gradients, learningRate: 1e-3)
        return TrainingState(step: 7, optimizer: optimizer, averageUpdateCount: 7)
    }

    @Test func writesDiffusersLayoutAndLoadsBackExactly() throws {
        let run = try TrainingTestSupport.temporaryFolder()
        defer { TrainingTestSupport.remove(run) }
        let (model, average) = (try Self.model(seed: 1), try Self.model(seed: 2))
        var scheduler = DDPMSchedulerConfig(numTrainTimesteps: 500, betaSchedule: .scaledLinear)
        scheduler.predictionType = .vPrediction
        let state = Self.state(for: model)
        let folder = try CheckpointWriter(run: run).write(
            step: 7, model: model, averagedModel: average, schedulerConfig: scheduler, trainingState: state)
        #expect(folder.path == run.appendingPathComponent("checkpoint-7").path)
        for file in ["model_index.json", "unet/config.json", "unet/diffusion_pytorch_model.safetensors", "unet_ema/config.json",
                     "unet_ema/diffusion_pytorch_model.safetensors", "scheduler/scheduler_config.json", "optimizer.safetensors"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path), "\(file)")
        }
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("model_index.json"))) as? [String: Any]
        #expect(index?["_class_name"] as? String == "DDPMPipeline")
        #expect(index?["unet"] as? [String] == ["diffusers", "UNet2DModel"])
        #expect(index?["scheduler"] as? [String] == ["diffusers", "DDPMScheduler"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: run.path) == ["checkpoint-7"])

        let loaded = try Checkpoint.load(folder)
        #expect(loaded.step == 7 && loaded.schedulerConfig == scheduler)
        #expect(loaded.model.config == model.config && loaded.model.parameters == model.parameters)
        #expect(loaded.averagedModel?.parameters == average.parameters)
        #expect(loaded.samplingModel.parameters == average.parameters)
        let restored = try loaded.trainingState(optimizerSettings: AdamW.Settings())
        #expect(restored.step == 7 && restored.averageUpdateCount == 7 && restored.optimizer.stepCount == 1)
        #expect(restored.optimizer.firstMoments == state.optimizer.firstMoments)
        #expect(restored.optimizer.secondMoments == state.optimizer.secondMoments)
    }

    @Test func neverOverwritesACheckpoint() throws {
        let run = try TrainingTestSupport.temporaryFolder()
        defer { TrainingTestSupport.remove(run) }
        let model = try Self.model(seed: 1)
        let writer = CheckpointWriter(run: run)
        try writer.write(step: 3, model: model, averagedModel: nil, schedulerConfig: DDPMSchedulerConfig(), trainingState: nil)
        let again = try Self.model(seed: 9)
        #expect(throws: CheckpointError.alreadyExists(path: run.appendingPathComponent("checkpoint-3").path)) {
            try writer.write(step: 3, model: again, averagedModel: nil, schedulerConfig: DDPMSchedulerConfig(), trainingState: nil)
        }
        #expect(try Checkpoint.load(run.appendingPathComponent("checkpoint-3")).model.parameters == model.parameters)
        #expect(try FileManager.default.contentsOfDirectory(atPath: run.path) == ["checkpoint-3"])
    }

    @Test func aPartiallyWrittenCheckpointIsNeverTakenForOne() throws {
        let run = try TrainingTestSupport.temporaryFolder()
        defer { TrainingTestSupport.remove(run) }
        let writer = CheckpointWriter(run: run)
        try writer.write(step: 2, model: try Self.model(seed: 1), averagedModel: nil, schedulerConfig: DDPMSchedulerConfig(), trainingState: nil)
        // What a writer that crashed before its rename leaves: a hidden folder, here even complete.
        let abandoned = run.appendingPathComponent(".checkpoint-4.tmp-12345")
        try FileManager.default.copyItem(at: run.appendingPathComponent("checkpoint-2"), to: abandoned)
        try FileManager.default.createDirectory(at: run.appendingPathComponent("checkpoint-9x"), withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: run.appendingPathComponent("checkpoint-11").path, contents: Data()))

        #expect(try Checkpoint.steps(inRun: run) == [2])
        #expect(try Checkpoint.latest(inRun: run)?.path == run.appendingPathComponent("checkpoint-2").path)
        #expect(try writer.removeAbandonedTemporaryFolders().map(\.path) == [abandoned.path])
        #expect(!FileManager.default.fileExists(atPath: abandoned.path))
        #expect(CheckpointLayout.step(ofFolderNamed: "checkpoint-12") == 12)
        for name in [".checkpoint-12.tmp-1", "checkpoint-", "checkpoint-1.tmp", "checkpoint--1", "checkpoint-١٢", "xcheckpoint-1"] {
            #expect(CheckpointLayout.step(ofFolderNamed: name) == nil, "\(name)")
        }
    }

    @Test func loadsAFolderDiffusersWrote() throws {
        let folder = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil)).appendingPathComponent("unet-attn-scaleshift")
        let checkpoint = try Checkpoint.load(folder)
        #expect(checkpoint.step == nil && checkpoint.averagedModel == nil)
        #expect(checkpoint.schedulerConfig == DDPMSchedulerConfig())
        #expect(checkpoint.model.config.blockOutChannels == [8, 16])
    }

    @Test func reportsWhatIsWrongWithABrokenCheckpoint() throws {
        let run = try TrainingTestSupport.temporaryFolder()
        defer { TrainingTestSupport.remove(run) }
        let missing = run.appendingPathComponent("nothing-here")
        #expect(throws: CheckpointError.notAFolder(path: missing.path)) { try Checkpoint.load(missing) }

        let model = try Self.model(seed: 1)
        let folder = try CheckpointWriter(run: run).write(
            step: 1, model: model, averagedModel: nil, schedulerConfig: DDPMSchedulerConfig(), trainingState: Self.state(for: model))
        let schedulerFile = folder.appendingPathComponent("scheduler/scheduler_config.json")
        try Data(#"{"beta_schedule": "sigmoid"}"#.utf8).write(to: schedulerFile)
        #expect(throws: CheckpointError.scheduler(path: schedulerFile.path, .unsupportedValue(
            key: "beta_schedule", value: "\"sigmoid\"", supported: ["linear", "scaled_linear", "squaredcos_cap_v2"]))) {
            try Checkpoint.load(folder)
        }
        try Data("{".utf8).write(to: schedulerFile)
        #expect(throws: CheckpointError.self) { try Checkpoint.load(folder) }
        try FileManager.default.removeItem(at: schedulerFile)
        #expect(throws: CheckpointError.missingFile(path: schedulerFile.path)) { try Checkpoint.load(folder) }

        try Data("{}".utf8).write(to: schedulerFile)
        let optimizerFile = folder.appendingPathComponent("optimizer.safetensors")
        var writer = SafeTensorsWriter(metadata: ["step": "1", "optimizer_steps": "1"])
        writer.add("exp_avg.conv_in.weight", float32: [0], shape: [1])
        try writer.write(to: optimizerFile)
        let loaded = try Checkpoint.load(folder)
        #expect(throws: CheckpointError.optimizerState(
            path: optimizerFile.path, reason: "\"exp_avg.conv_in.weight\" has shape [1], the parameter [4, 1, 3, 3]")) {
            try loaded.trainingState(optimizerSettings: AdamW.Settings())
        }
        try FileManager.default.removeItem(at: folder.appendingPathComponent("unet/diffusion_pytorch_model.safetensors"))
        #expect(throws: CheckpointError.self) { try Checkpoint.load(folder) }
    }
}

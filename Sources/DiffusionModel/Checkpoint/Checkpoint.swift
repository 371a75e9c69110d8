import Foundation

/// A training checkpoint: a folder `checkpoint-<step>` laid out as diffusers' training scripts
/// write them, so diffusers loads it unchanged:
///
/// ```
/// checkpoint-<step>/
///   model_index.json                     (DDPMPipeline: unet + scheduler)
///   unet/config.json, unet/diffusion_pytorch_model.safetensors
///   unet_ema/…                           (the weight average, when training keeps one)
///   scheduler/scheduler_config.json
///   optimizer.safetensors                (for resuming; see TrainingState)
/// ```
///
/// Checkpoints are built in a hidden temporary folder and renamed into place, so a folder named
/// `checkpoint-<step>` is always complete and a partial one never carries that name.
public struct Checkpoint: Sendable {
    /// The checkpoint folder.
    public let folder: URL
    /// The step from the folder name, when it is named `checkpoint-<step>`.
    public let step: Int?
    /// The trained UNet (`unet/`).
    public let model: UNet2DModel
    /// The exponential moving average of the weights (`unet_ema/`), if training kept one.
    public let averagedModel: UNet2DModel?
    /// The noise schedule (`scheduler/scheduler_config.json`).
    public let schedulerConfig: DDPMSchedulerConfig

    /// The model to sample from: the weight average when there is one (as diffusers' training
    /// script saves its final pipeline), else the trained weights.
    public var samplingModel: UNet2DModel { averagedModel ?? model }

    /// Loads a checkpoint folder (any folder with `unet/` and `scheduler/`, e.g. one written by
    /// diffusers' `DDPMPipeline.save_pretrained`).
    public static func load(_ folder: URL) throws(CheckpointError) -> Checkpoint {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw .notAFolder(path: folder.path)
        }
        let unetFolder = folder.appendingPathComponent(CheckpointLayout.unetFolder)
        guard FileManager.default.fileExists(atPath: unetFolder.path) else { throw .missingFile(path: unetFolder.path) }
        let model: UNet2DModel
        do { model = try UNet2DModel.load(unetFolder: unetFolder) } catch { throw .model(error) }
        let averageFolder = folder.appendingPathComponent(CheckpointLayout.emaUNetFolder)
        var averagedModel: UNet2DModel?
        if FileManager.default.fileExists(atPath: averageFolder.path) {
            do { averagedModel = try UNet2DModel.load(unetFolder: averageFolder) } catch { throw .model(error) }
            guard averagedModel?.config == model.config else { throw .averagedModelDiffers(path: averageFolder.path) }
        }
        return Checkpoint(
            folder: folder, step: CheckpointLayout.step(ofFolderNamed: folder.lastPathComponent),
            model: model, averagedModel: averagedModel, schedulerConfig: try readSchedulerConfig(in: folder))
    }

    /// Reads the state needed to resume training from this checkpoint.
    public func trainingState(optimizerSettings: AdamW.Settings) throws(CheckpointError) -> TrainingState {
        let url = folder.appendingPathComponent(CheckpointLayout.optimizerFile)
        guard FileManager.default.fileExists(atPath: url.path) else { throw .missingFile(path: url.path) }
        return try TrainingState.read(contentsOf: url, settings: optimizerSettings, parameters: model.parameters)
    }

    /// The steps of the checkpoints in a training folder, ascending. Only folders named exactly
    /// `checkpoint-<digits>` count; the hidden temporary folders checkpoints are built in never do.
    public static func steps(inRun run: URL) throws(CheckpointError) -> [Int] {
        guard FileManager.default.fileExists(atPath: run.path) else { return [] }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: run.path) } catch {
            throw .io(operation: "list", path: run.path, reason: error.localizedDescription)
        }
        return names.compactMap { name -> Int? in
            var isFolder: ObjCBool = false
            let path = run.appendingPathComponent(name).path
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else { return nil }
            return CheckpointLayout.step(ofFolderNamed: name)
        }.sorted()
    }

    /// The folder of the latest checkpoint in a training folder, if any.
    public static func latest(inRun run: URL) throws(CheckpointError) -> URL? {
        try steps(inRun: run).last.map { run.appendingPathComponent(CheckpointLayout.folderName(step: $0)) }
    }

    private static func readSchedulerConfig(in folder: URL) throws(CheckpointError) -> DDPMSchedulerConfig {
        let url = folder.appendingPathComponent(CheckpointLayout.schedulerFolder)
            .appendingPathComponent(CheckpointLayout.schedulerConfigFile)
        guard FileManager.default.fileExists(atPath: url.path) else { throw .missingFile(path: url.path) }
        do {
            return try JSONDecoder().decode(DDPMSchedulerConfig.self, from: Data(contentsOf: url))
        } catch let error as DDPMSchedulerError {
            throw .scheduler(path: url.path, error)
        } catch {
            throw .malformedSchedulerConfig(path: url.path, reason: "\(error)")
        }
    }
}

import Foundation
import SafeTensors

/// Writes `checkpoint-<step>` folders into a training folder, atomically.
///
/// Everything is written into a hidden temporary folder in the training folder
/// (`.checkpoint-<step>.tmp-<pid>`), every file and folder in it is flushed to disk, and only
/// then is it renamed to `checkpoint-<step>` (and the training folder flushed). A crash at any
/// point leaves either a complete checkpoint or a hidden folder that no reader takes for one.
public struct CheckpointWriter: Sendable {
    /// The training folder checkpoints are written into.
    public let run: URL

    /// A writer for the training folder `run` (created when the first checkpoint is written).
    public init(run: URL) {
        self.run = run
    }

    /// Writes the checkpoint after `step` optimiser steps and returns its folder.
    ///
    /// - Parameters:
    ///   - averagedModel: The weight average, written to `unet_ema/` when present.
    ///   - trainingState: Optimiser state for resuming, written to `optimizer.safetensors` when present.
    @discardableResult
    public func write(
        step: Int, model: UNet2DModel, averagedModel: UNet2DModel?, schedulerConfig: DDPMSchedulerConfig,
        trainingState: TrainingState?
    ) throws(CheckpointError) -> URL {
        let final = run.appendingPathComponent(CheckpointLayout.folderName(step: step))
        guard !FileManager.default.fileExists(atPath: final.path) else { throw .alreadyExists(path: final.path) }
        let temporary = run.appendingPathComponent(".\(CheckpointLayout.folderName(step: step))\(Self.temporaryMarker)\(getpid())")
        try DurableFiles.remove(temporary)
        do {
            try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        } catch {
            throw .io(operation: "create", path: temporary.path, reason: error.localizedDescription)
        }
        do {
            try fill(temporary, model: model, averagedModel: averagedModel, schedulerConfig: schedulerConfig, trainingState: trainingState)
            try DurableFiles.syncTree(temporary)
            try DurableFiles.rename(temporary, to: final)
        } catch {
            try? DurableFiles.remove(temporary)
            throw error
        }
        try DurableFiles.sync(run.path)
        return final
    }

    /// Deletes temporary folders left behind by writers that crashed, and returns them. Call it
    /// only while no other process writes checkpoints into this training folder.
    @discardableResult
    public func removeAbandonedTemporaryFolders() throws(CheckpointError) -> [URL] {
        guard FileManager.default.fileExists(atPath: run.path) else { return [] }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: run.path) } catch {
            throw .io(operation: "list", path: run.path, reason: error.localizedDescription)
        }
        let abandoned = names.filter { $0.hasPrefix("." + CheckpointLayout.folderPrefix) && $0.contains(Self.temporaryMarker) }
            .map { run.appendingPathComponent($0) }
        for url in abandoned { try DurableFiles.remove(url) }
        return abandoned
    }

    /// Separates the step from the writer's process id in temporary folder names.
    static let temporaryMarker = ".tmp-"

    private func fill(
        _ folder: URL, model: UNet2DModel, averagedModel: UNet2DModel?, schedulerConfig: DDPMSchedulerConfig,
        trainingState: TrainingState?
    ) throws(CheckpointError) {
        do {
            try model.save(unetFolder: folder.appendingPathComponent(CheckpointLayout.unetFolder))
            try averagedModel?.save(unetFolder: folder.appendingPathComponent(CheckpointLayout.emaUNetFolder))
        } catch {
            throw .model(error)
        }
        let schedulerFolder = folder.appendingPathComponent(CheckpointLayout.schedulerFolder)
        do {
            try FileManager.default.createDirectory(at: schedulerFolder, withIntermediateDirectories: true)
        } catch {
            throw .io(operation: "create", path: schedulerFolder.path, reason: error.localizedDescription)
        }
        try DurableFiles.write(try Self.json(schedulerConfig), to: schedulerFolder.appendingPathComponent(CheckpointLayout.schedulerConfigFile))
        try DurableFiles.write(try Self.json(PipelineIndex()), to: folder.appendingPathComponent(CheckpointLayout.modelIndexFile))
        if let trainingState {
            let url = folder.appendingPathComponent(CheckpointLayout.optimizerFile)
            do { try trainingState.writer(order: model.parameters.names).write(to: url) } catch {
                throw .io(operation: "write", path: url.path, reason: error.description)
            }
        }
    }

    /// Sorted keys and two-space indentation, as diffusers writes its JSON files.
    private static func json(_ value: some Encodable) throws(CheckpointError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do { return try encoder.encode(value) + Data("\n".utf8) } catch {
            throw .io(operation: "encode", path: "JSON", reason: "\(error)")
        }
    }
}

/// `model_index.json` as `DDPMPipeline.save_pretrained` writes it: the pipeline class and, per
/// component, its library and class.
private struct PipelineIndex: Encodable {
    enum CodingKeys: String, CodingKey {
        case className = "_class_name", diffusersVersion = "_diffusers_version", scheduler, unet
    }

    let className = "DDPMPipeline"
    let diffusersVersion = CheckpointLayout.diffusersVersion
    let scheduler = ["diffusers", "DDPMScheduler"]
    let unet = ["diffusers", "UNet2DModel"]
}

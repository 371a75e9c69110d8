/// File and folder names of a training checkpoint, which follows the layout diffusers' training
/// scripts and `DDPMPipeline.save_pretrained` produce, so diffusers loads it unchanged.
public enum CheckpointLayout {
    /// The diffusers release whose file formats are written.
    public static let diffusersVersion = "0.42.1"
    /// Prefix of checkpoint folder names: `checkpoint-<step>`.
    public static let folderPrefix = "checkpoint-"
    /// Subfolder holding the trained UNet (`config.json`, `diffusion_pytorch_model.safetensors`).
    public static let unetFolder = "unet"
    /// Subfolder holding the exponential moving average of the UNet's weights, when kept.
    public static let emaUNetFolder = "unet_ema"
    /// Subfolder holding `scheduler_config.json`.
    public static let schedulerFolder = "scheduler"
    /// The scheduler's configuration file.
    public static let schedulerConfigFile = "scheduler_config.json"
    /// The pipeline description diffusers' `DiffusionPipeline.from_pretrained` reads.
    public static let modelIndexFile = "model_index.json"
    /// Optimiser moments and the step count, for resuming training.
    public static let optimizerFile = "optimizer.safetensors"

    /// The folder name of the checkpoint after `step` optimiser steps.
    public static func folderName(step: Int) -> String { "\(folderPrefix)\(step)" }

    /// The step of a folder named exactly `checkpoint-<digits>`, or `nil` for any other name
    /// (including the hidden temporary folders checkpoints are built in).
    public static func step(ofFolderNamed name: String) -> Int? {
        guard name.hasPrefix(folderPrefix) else { return nil }
        let digits = name.dropFirst(folderPrefix.count)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
    }
}

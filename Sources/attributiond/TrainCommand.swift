import ArgumentParser
import DiffusionModel
import Foundation
import Numerics

/// `attributiond train`: trains a UNet2DModel on data shards, writing diffusers-layout checkpoints.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a diffusion model on data shards, writing checkpoints diffusers can load.",
        discussion: """
            Reads every DATA/shard-*.safetensors (held-out shards are not used) and writes
            RUN_DIR/checkpoint-<step>/{unet,unet_ema,scheduler,model_index.json,optimizer.safetensors}
            every checkpoint_every steps and at the end. Checkpoints appear atomically.
            """
    )

    @Option(help: "Training configuration (JSON).")
    var config: String

    @Option(help: "Folder with shard-*.safetensors (default: the config's data_dir).")
    var data: String?

    @Option(help: "Training folder to write checkpoints into (RUN_DIR).")
    var output: String

    @Option(help: "Train to this many steps instead of the config's steps.")
    var steps: Int?

    @Flag(help: "Continue from the latest checkpoint in RUN_DIR (start afresh if there is none).")
    var resume = false

    @Option(help: "OpenBLAS threads (default: all cores).")
    var blasThreads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        if let steps, steps < 1 { throw ValidationError("--steps must be at least 1.") }
        guard blasThreads >= 1 else { throw ValidationError("--blas-threads must be at least 1.") }
    }

    func run() throws {
        BLASThreads.set(blasThreads)
        var training = try TrainingConfig.load(contentsOf: URL(fileURLWithPath: config))
        if let steps { training.steps = steps }
        guard let dataFolder = data ?? training.dataFolder else {
            throw ValidationError("No data folder: pass --data or set data_dir in \(config).")
        }
        let run = URL(fileURLWithPath: output, isDirectory: true)
        let trainer = try Trainer(
            config: training, dataFolder: URL(fileURLWithPath: dataFolder, isDirectory: true), runFolder: run, resume: resume)
        let printer = ProgressPrinter()
        trainer.observer = printer
        let model = training.model
        print("model: \(trainer.parameters.scalarCount) parameters, \(model.inChannels)×\(training.imageSize)×\(training.imageSize), "
            + "blocks \(model.blockOutChannels), batch \(training.batchSize), lr \(training.learningRate) "
            + "(warm-up \(training.warmupSteps)), EMA \(training.useEMA ? "on" : "off"), seed \(training.seed)")
        if trainer.step > 0 {
            print("resuming at step \(trainer.step) of \(training.steps)")
        } else if resume {
            print("no checkpoint in \(run.path); starting a new run")
        }
        if trainer.step >= training.steps {
            print("nothing to do: step \(trainer.step) reached")
            return
        }
        try trainer.train()
        print("done: \(trainer.step) steps; checkpoints in \(run.path)")
    }
}

/// Prints the trainer's progress, one line per event.
private final class ProgressPrinter: TrainingObserver {
    func trainingDidLoadData(examples: Int, shards: Int) {
        printProgress("data: \(examples) examples from \(shards) shard(s)")
    }

    func trainingDidReport(_ report: TrainingReport) {
        printProgress(String(format: "step %d/%d  loss %.4f  lr %.2e  %.1f examples/s", report.step, report.totalSteps,
                              report.meanLoss, report.learningRate, report.examplesPerSecond))
    }

    func trainingDidWriteCheckpoint(_ folder: URL, step: Int) {
        printProgress("checkpoint: \(folder.path)")
    }
}

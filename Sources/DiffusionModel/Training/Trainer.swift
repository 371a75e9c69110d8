import Foundation
import Numerics

/// Trains a UNet2DModel on the shards of a data folder as diffusers' unconditional training
/// script does: per step a minibatch, uniform timesteps, normal noise, the noise-prediction MSE,
/// gradient clipping, AdamW under a cosine warm-up schedule, an optional weight average, and
/// checkpoint folders in diffusers' layout.
///
/// Runs on the caller's thread (the compute lane); not `Sendable`.
public final class Trainer {
    /// The run's settings.
    public let config: TrainingConfig
    /// Optimiser steps completed.
    public private(set) var step: Int
    /// The current weights.
    public private(set) var parameters: ParameterSet
    /// The training examples.
    public private(set) var data: TrainingData
    /// Receives progress, checkpoints and data reloads.
    public var observer: (any TrainingObserver)?

    private let dataFolder: URL
    private let draws: TrainingDraws
    private let optimizerStep: DenoisingTrainingStep
    private let writer: CheckpointWriter
    private var optimizer: AdamW
    private var average: ExponentialMovingAverage?
    private var interval = (steps: 0, lossSum: 0.0, seconds: 0.0, learningRate: 0.0)

    /// Prepares a run writing checkpoints into `runFolder`.
    ///
    /// - Parameter resume: Continue from the latest checkpoint in `runFolder` (starting afresh
    ///   if there is none). Without it, a `runFolder` that already holds checkpoints is refused.
    public init(config: TrainingConfig, dataFolder: URL, runFolder: URL, resume: Bool) throws(TrainingError) {
        try config.validate()
        self.config = config
        self.dataFolder = dataFolder
        let scheduler: DDPMScheduler
        do { scheduler = try DDPMScheduler(config: config.schedulerConfig) } catch { throw .scheduler(error) }
        writer = CheckpointWriter(run: runFolder)
        draws = TrainingDraws(seed: config.seed)
        let model = UNet2DModel(config: config.model, seed: config.seed)
        optimizerStep = DenoisingTrainingStep(
            objective: DenoisingObjective(model: model, scheduler: scheduler), draws: draws, maxGradNorm: config.maxGradNorm)
        data = try TrainingData(folder: dataFolder, imageShape: Self.imageShape(config))
        if let (checkpoint, state) = try Self.resumePoint(runFolder: runFolder, resume: resume, config: config, writer: writer) {
            step = state.step
            parameters = checkpoint.model.parameters
            optimizer = state.optimizer
            average = config.useEMA
                ? ExponentialMovingAverage(settings: config.ema, weights: checkpoint.averagedModel?.parameters ?? parameters,
                                           updateCount: state.averageUpdateCount ?? 0)
                : nil
            return
        }
        step = 0
        parameters = model.parameters
        optimizer = AdamW(settings: config.adam)
        average = config.useEMA ? ExponentialMovingAverage(settings: config.ema, weights: parameters) : nil
    }

    /// Trains towards `config.steps` (where the cosine schedule ends), reporting every
    /// `log_every` steps and writing a checkpoint every `checkpoint_every` steps and at the end.
    ///
    /// - Parameter stop: Stop early after this step (with a checkpoint there, so the run can be
    ///   resumed exactly), e.g. to hand the compute lane to other work.
    public func train(stoppingAfter stop: Int? = nil) throws(TrainingError) {
        let end = min(stop ?? config.steps, config.steps)
        let schedule = config.learningRateSchedule(totalSteps: config.steps)
        observer?.trainingDidLoadData(examples: data.count, shards: data.shards.count)
        while step < end {
            let learningRate = schedule.rate(afterSteps: step)
            let start = ContinuousClock.now
            let loss = try trainStep(learningRate: learningRate)
            interval.steps += 1
            interval.lossSum += Double(loss)
            interval.seconds += start.duration(to: .now) / .seconds(1)
            interval.learningRate = learningRate
            if step % config.logEvery == 0 || step == end { report() }
            if step % config.checkpointEvery == 0 || step == end {
                try writeCheckpoint()
                if step < end { try reloadData() }
            }
        }
    }

    /// One optimiser step at `learningRate`; returns the minibatch loss before the update.
    @discardableResult
    public func trainStep(learningRate: Double) throws(TrainingError) -> Float {
        let indices = draws.batchIndices(step: step, batchSize: config.batchSize, exampleCount: data.count)
        let (images, ids) = data.batch(indices)
        let loss = try optimizerStep.apply(
            step: step, images: images, ids: ids, learningRate: learningRate, parameters: &parameters, optimizer: &optimizer)
        average?.update(with: parameters)
        step += 1
        return loss
    }

    /// Writes `checkpoint-<step>` now and returns its folder.
    @discardableResult
    public func writeCheckpoint() throws(TrainingError) -> URL {
        let model: UNet2DModel
        let averaged: UNet2DModel?
        do throws(UNet2DModelError) {
            model = try UNet2DModel(config: config.model, parameters: parameters)
            averaged = try average.map { average throws(UNet2DModelError) in
                try UNet2DModel(config: config.model, parameters: average.averages)
            }
        } catch {
            throw .checkpoint(.model(error))
        }
        let state = TrainingState(step: step, optimizer: optimizer, averageUpdateCount: average?.updateCount)
        let folder: URL
        do {
            folder = try writer.write(
                step: step, model: model, averagedModel: averaged, schedulerConfig: config.schedulerConfig, trainingState: state)
        } catch {
            throw .checkpoint(error)
        }
        observer?.trainingDidWriteCheckpoint(folder, step: step)
        return folder
    }

    /// Re-reads the data folder, so shards written into it during training join the training
    /// set. The minibatch order is a function of the seed, the step and the number of examples.
    public func reloadData() throws(TrainingError) {
        let shards = try TrainingData.shardFiles(in: dataFolder)
        guard shards != data.shards else { return }
        data = try TrainingData(folder: dataFolder, imageShape: Self.imageShape(config))
        observer?.trainingDidLoadData(examples: data.count, shards: data.shards.count)
    }

    private func report() {
        guard interval.steps > 0 else { return }
        observer?.trainingDidReport(TrainingReport(
            step: step, totalSteps: config.steps, meanLoss: interval.lossSum / Double(interval.steps),
            examplesPerSecond: Double(interval.steps * config.batchSize) / max(interval.seconds, 1e-9),
            learningRate: interval.learningRate))
        interval = (0, 0, 0, 0)
    }

    private static func imageShape(_ config: TrainingConfig) -> [Int] {
        [config.model.inChannels, config.imageSize, config.imageSize]
    }

    /// The checkpoint to resume from and its training state, or `nil` to start afresh; removes
    /// temporary folders crashed writers left behind.
    private static func resumePoint(
        runFolder: URL, resume: Bool, config: TrainingConfig, writer: CheckpointWriter
    ) throws(TrainingError) -> (Checkpoint, TrainingState)? {
        let latest: URL?
        do throws(CheckpointError) {
            try writer.removeAbandonedTemporaryFolders()
            latest = try Checkpoint.latest(inRun: runFolder)
        } catch {
            throw .checkpoint(error)
        }
        guard let latest else { return nil }
        guard resume else { throw .runAlreadyStarted(folder: runFolder.path) }
        let checkpoint: Checkpoint
        do { checkpoint = try Checkpoint.load(latest) } catch { throw .checkpoint(error) }
        guard checkpoint.model.config == config.model else {
            throw .resumeMismatch(checkpoint: latest.path, reason: "its unet/config.json differs from the training config's model")
        }
        guard checkpoint.schedulerConfig == config.schedulerConfig else {
            throw .resumeMismatch(checkpoint: latest.path, reason: "its scheduler_config.json differs from the training config's schedule")
        }
        do { return (checkpoint, try checkpoint.trainingState(optimizerSettings: config.adam)) } catch { throw .checkpoint(error) }
    }
}

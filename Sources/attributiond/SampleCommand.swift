import ArgumentParser
import DiffusionModel
import Foundation
import Numerics
import SafeTensors

/// `attributiond sample`: generates images from a checkpoint and writes them as a PNG grid.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Generate images from a checkpoint by ancestral DDPM sampling and write a PNG grid.",
        discussion: "The same checkpoint, seed and step count always give the same images; image i does not depend on --count."
    )

    @Option(help: "Checkpoint folder (with unet/ and scheduler/).")
    var checkpoint: String

    @Option(help: "Number of images.")
    var count: Int = 64

    @Option(help: "Inference steps (at most the schedule's training timesteps).")
    var steps: Int = 1000

    @Option(help: "Random seed.")
    var seed: UInt64 = 0

    @Option(help: "PNG file to write the grid to.")
    var output: String

    @Option(help: "Images per grid row.")
    var columns: Int = 8

    @Option(help: "Pixel enlargement in the grid.")
    var scale: Int = 2

    @Option(help: "Also write the samples ([N,C,H,W] float32 in [-1,1], as a data shard) to this safetensors file.")
    var samplesOut: String?

    @Flag(help: "Sample from unet/ even when the checkpoint has the weight average unet_ema/.")
    var rawWeights = false

    @Option(help: "Images per forward pass.")
    var batchSize: Int = 64

    @Option(help: "OpenBLAS threads (default: all cores).")
    var blasThreads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard count >= 1, steps >= 1, columns >= 1, scale >= 1, batchSize >= 1, blasThreads >= 1 else {
            throw ValidationError("--count, --steps, --columns, --scale, --batch-size and --blas-threads must be at least 1.")
        }
    }

    func run() throws {
        BLASThreads.set(blasThreads)
        let loaded = try Checkpoint.load(URL(fileURLWithPath: checkpoint, isDirectory: true))
        let model = rawWeights ? loaded.model : loaded.samplingModel
        guard let size = model.config.sampleSize else {
            throw ValidationError("\(checkpoint)/unet/config.json has no sample_size, so the image size is unknown.")
        }
        let weights = rawWeights || loaded.averagedModel == nil ? "unet" : "unet_ema"
        print("sampling \(count) image(s) of \(model.config.inChannels)×\(size)×\(size) with \(steps) steps, seed \(seed), weights \(weights)")
        let sampler = AncestralSampler(model: model, schedulerConfig: loaded.schedulerConfig)
        let start = ContinuousClock.now
        let images = try sampler.sample(count: count, size: size, steps: steps, seed: seed, batchSize: batchSize) { done, step, total in
            if (step + 1) % max(1, total / 10) == 0 || step + 1 == total {
                print("  images \(done + 1)-\(min(done + batchSize, count)): step \(step + 1)/\(total)")
                fflush(nil)
            }
        }
        print("sampled in \(start.duration(to: .now))")
        let grid = ImageGrid.compose(images: images, columns: columns, padding: 1, scale: scale)
        try PNGWriter.write(grid, to: URL(fileURLWithPath: output))
        print("wrote \(output) (\(grid.width)×\(grid.height))")
        if let samplesOut {
            let shard = try DataShard(images: images, ids: (0..<Int64(count)).map { $0 })
            try shard.write(to: URL(fileURLWithPath: samplesOut), asUInt8: false)
            print("wrote \(samplesOut)")
        }
    }
}

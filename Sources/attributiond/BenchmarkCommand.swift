import ArgumentParser
import DiffusionModel
import Foundation
import Numerics

/// `attributiond benchmark`: forward+backward throughput of a UNet2DModel next to the machine's
/// sgemm peak, both measured in the same run.
struct BenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "benchmark",
        abstract: "Measure training-step throughput (examples/s, GFLOP/s) against this machine's sgemm peak."
    )

    @Option(help: "Training configuration whose model is measured.")
    var config: String = "Config/demo-train.json"

    @Option(help: "Examples per forward+backward pass.")
    var batch: Int = 64

    @Option(help: "Timed passes (after one warm-up pass).")
    var repetitions: Int = 5

    @Option(help: "OpenBLAS threads (default: all cores).")
    var blasThreads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard batch >= 1, repetitions >= 1, blasThreads >= 1 else {
            throw ValidationError("--batch, --repetitions and --blas-threads must be at least 1.")
        }
    }

    func run() throws {
        BLASThreads.set(blasThreads)
        let training = try TrainingConfig.load(contentsOf: URL(fileURLWithPath: config))
        let model = UNet2DModel(config: training.model, seed: 0)
        let side = training.imageSize
        let channels = training.model.inChannels

        let peak = SgemmPeak.measure(size: 1024, minimumSeconds: 2)
        let counter = GEMMFlopCounter()
        var generator = SeededGenerator(keys: 1)
        let input = Tensor(shape: [batch, side, side, channels], scalars: generator.normals(count: batch * side * side * channels))
        let noise = Tensor(shape: input.shape, scalars: generator.normals(count: input.count))
        let timesteps = (0..<batch).map { Float(($0 * 37) % 1000) }

        func pass(observing: Bool) {
            let tape = Tape()
            if observing { tape.layerObserver = counter }
            let parameters = model.parameters.record(on: tape)
            let output = model.forward(sample: tape.constant(input), timesteps: timesteps, parameters: parameters, tape: tape)
            let loss = tape.meanSquaredError(output, tape.constant(noise))
            _ = tape.backward(from: loss)
        }
        pass(observing: true)  // warm-up, and counts the FLOPs of one pass
        let seconds = (0..<repetitions).map { _ in timed { pass(observing: false) } }.sorted()
        let median = seconds[seconds.count / 2]
        let gflops = counter.flops / median / 1e9

        print("model: \(model.parameters.scalarCount) parameters, \(side)×\(side)×\(channels), batch \(batch), BLAS threads \(blasThreads)")
        print(String(format: "sgemm peak (1024³, same run): %.1f GFLOP/s", peak))
        print(String(format: "forward+backward: median %.3f s per batch (min %.3f, max %.3f) = %.1f examples/s",
                     median, seconds.first!, seconds.last!, Double(batch) / median))
        print(String(format: "GEMM work per batch: %.2f GFLOP (Linear/Conv2d forward + both backward products)", counter.flops / 1e9))
        print(String(format: "achieved: %.1f GFLOP/s = %.1f%% of the sgemm peak", gflops, 100 * gflops / peak))
    }
}

/// Counts the GEMM floating-point work of the observed Linear and Conv2d layers of one pass:
/// `2·rows·dIn·dOut` for the forward product and twice that for the two backward products.
/// Attention score products, norms and activations are not counted, so the achieved figure is
/// a lower bound.
final class GEMMFlopCounter: LayerObserver {
    private(set) var flops = 0.0

    func observe(layer: String, inputs: Tensor, outputGradients: Tensor, examples: Int, hasBias: Bool) {
        let rows = Double(inputs.shape[0]), dIn = Double(inputs.shape[1]), dOut = Double(outputGradients.shape[1])
        flops += 3 * 2 * rows * dIn * dOut
    }
}

import ArgumentParser
import Attribution
import AttributionProtocol
import DiffusionModel
import Foundation
import Numerics

/// `attributiond benchmark-daemon`: query latency with concurrent clients at several store
/// sizes, and ingest throughput alone and while queries are served, against the real daemon
/// process over its socket.
struct DaemonBenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "benchmark-daemon",
        abstract: "Measure the daemon: query latency (p50/p99) with concurrent clients and ingest throughput, per store size.",
        discussion: """
            For each size it writes a fresh run of synthetic demo shards plus one checkpoint of the demo model \
            into WORK/<size>/, starts `attributiond run` on it, times the indexing of every example, then \
            sends one-sample `attribute` queries from --clients connections at once, and finally adds one \
            more shard while the clients keep querying, timing its indexing. The machine's single-thread \
            sgemm peak and memory bandwidth are measured in the same run: the daemon runs one BLAS thread \
            per compute lane (ingest, queries).
            """
    )

    @Option(help: "Work folder (each size uses WORK/<size>/, replaced).")
    var work: String

    @Option(help: "Comma-separated numbers of indexed training examples.")
    var sizes: String = "10000,100000"

    @Option(help: "Concurrent client connections.")
    var clients: Int = 8

    @Option(help: "Queries each client sends in the latency phase.")
    var queriesPerClient: Int = 8

    @Option(help: "Examples in the shard added while queries are served.")
    var ingestExamples: Int = 2048

    @Option(help: "Examples per shard.")
    var shardSize: Int = 4096

    @Option(help: "Noise draws per training example in the store.")
    var draws: Int = 1

    @Option(help: "Projection per side.")
    var projection: Int = 8

    @Option(help: "Model and scheduler configuration (the demo's).")
    var trainingConfig: String = "Config/demo-train.json"

    @Option(help: "A trained checkpoint folder whose weights to use (default: the model's initial weights).")
    var checkpoint: String?

    func validate() throws {
        guard clients >= 1, queriesPerClient >= 1, ingestExamples >= 1, shardSize >= 1, draws >= 1, projection >= 1 else {
            throw ValidationError("counts must be positive")
        }
        guard !parsedSizes.isEmpty, parsedSizes.allSatisfy({ $0 >= 1 }) else { throw ValidationError("--sizes must list positive counts") }
    }

    private var parsedSizes: [Int] { sizes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func run() throws {
        let training = try TrainingConfig.load(contentsOf: URL(fileURLWithPath: trainingConfig))
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        BLASThreads.set(1)
        let sgemm = SgemmPeak.measure()
        let bandwidth = MemoryBandwidth.measure(bytes: 1 << 30, threads: 1)
        print(String(format: "machine: sgemm peak %.1f GFLOP/s (1 thread), read bandwidth %.1f GB/s (1 thread)", sgemm, bandwidth))
        let model = UNet2DModel(config: training.model, seed: 0)
        let flopsPerDraw = Self.gemmFlopsPerExampleDraw(model: model, side: training.imageSize)
        let layers = model.observedLayers
        let dimension = KroneckerProjection(layers: layers, dimensions: .fixed(inputs: projection, outputs: projection), seed: 0).layout.dimension
        var results: [SizeResult] = []
        for size in parsedSizes {
            let result = try measure(size: size, training: training, executable: executable, dimension: dimension, bandwidth: bandwidth)
            print(result.report)
            let gflops = result.ingestAloneExamplesPerSecond * Double(draws) * flopsPerDraw / 1e9
            print(String(format: "  ingest GEMM work  ≥ %.2f GFLOP/s alone = %.1f%% of the 1-thread sgemm peak (forward + backward products only)",
                         gflops, 100 * gflops / sgemm))
            results.append(result)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let file = URL(fileURLWithPath: work).appendingPathComponent("daemon-benchmark.json")
        try encoder.encode(Report(sgemmGflops: sgemm, bandwidthGBs: bandwidth, dimension: dimension, sizes: results)).write(to: file)
        print("results: \(file.path)")
    }

    /// GEMM work of one forward and backward pass of one example (one noise draw).
    static func gemmFlopsPerExampleDraw(model: UNet2DModel, side: Int) -> Double {
        let counter = GEMMFlopCounter()
        let tape = Tape()
        tape.layerObserver = counter
        let parameters = model.parameters.record(on: tape)
        let input = Tensor(shape: [1, side, side, model.config.inChannels])
        let output = model.forward(sample: tape.constant(input), timesteps: [500], parameters: parameters, tape: tape)
        _ = tape.backward(from: tape.meanSquaredError(output, tape.constant(input)))
        return counter.flops
    }

    /// Measures one store size; `bandwidth` is in GB/s.
    private func measure(size: Int, training: TrainingConfig, executable: URL, dimension: Int, bandwidth: Double) throws -> SizeResult {
        let folder = URL(fileURLWithPath: work).appendingPathComponent("\(size)")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let run = folder.appendingPathComponent("run")
        let fixture = try DaemonBenchmarkFixture.prepare(run: run, examples: size, shardSize: shardSize, training: training,
                                                         checkpoint: checkpoint.map { URL(fileURLWithPath: $0) })
        let start = ContinuousClock.now
        let daemon = try DaemonUnderTest(executable: executable, folder: folder, run: run, draws: draws, projection: projection)
        defer { daemon.stop() }
        try daemon.waitUntil(timeout: .seconds(6 * 3600)) { try daemon.examplesIndexed(step: 1) >= size }
        let ingestAlone = ContinuousClock.now - start

        let images = try (0..<clients * 2).map { index in
            let image = try fixture.queryImage(index)
            return SampleTensor(values: image.values, shape: image.shape)
        }
        let load = QueryLoad(socket: daemon.socket, clients: clients, topK: 10, images: images)
        _ = try QueryLoad(socket: daemon.socket, clients: 1, topK: 10, images: images).run(queriesPerClient: 1)  // warm caches
        let queryStart = ContinuousClock.now
        let latencies = try load.run(queriesPerClient: queriesPerClient)
        let idle = LatencySummary(latencies, wall: ContinuousClock.now - queryStart)

        // One more shard while the clients keep querying.
        let indexed = IngestDoneSignal()
        let ingestStart = ContinuousClock.now
        try fixture.writeShard(number: (size + shardSize - 1) / shardSize, ids: Int64(size)..<Int64(size + ingestExamples))
        let loadThread = Thread {
            let measured = (try? load.run(queriesPerClient: .max, until: { indexed.isSet })) ?? []
            indexed.store(latencies: measured)
        }
        loadThread.start()
        try daemon.waitUntil(timeout: .seconds(6 * 3600)) { try daemon.examplesIndexed(step: 1) >= size + ingestExamples }
        let ingestWhileServing = ContinuousClock.now - ingestStart
        indexed.set()
        let underLoad = indexed.waitForLatencies()
        return SizeResult(
            examples: size, clients: clients,
            ingestAloneExamplesPerSecond: Double(size) / (ingestAlone / .seconds(1)),
            ingestWhileServingExamplesPerSecond: Double(ingestExamples) / (ingestWhileServing / .seconds(1)),
            latency: idle, latencyDuringIngest: LatencySummary(underLoad, wall: ingestWhileServing),
            scanSecondsAtBandwidth: Double(size * dimension * 2) / (bandwidth * 1e9))
    }
}

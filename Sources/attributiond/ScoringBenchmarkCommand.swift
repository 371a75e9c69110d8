import ArgumentParser
import Attribution
import Dispatch
import Foundation
import Numerics
import SafeTensors

/// `attributiond benchmark-scoring`: throughput of scoring stored gradients against
/// preconditioned queries, next to this machine's memory bandwidth and sgemm peak measured in the
/// same run with the same thread count.
///
/// Threading (`--lanes`, see ``ScoringParallelism``): by default as many scoring lanes as
/// threads, each with single-threaded BLAS calls on its share of every block; `--lanes 1` runs
/// one lane whose OpenBLAS calls use every thread. Scoring reads every gradient once, so with few
/// queries it is bound by memory bandwidth (2·Q flops per 4-byte value); with many it is bound by
/// GEMM throughput. The crossover is at Q ≈ bytesPerValue · peak / (2 · bandwidth) (flops and
/// bytes per second).
struct ScoringBenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "benchmark-scoring",
        abstract: "Measure scoring throughput (GB/s, examples/s) against memory bandwidth and the sgemm peak.",
        discussion: "Synthetic gradients in memory, in blocks like the store's; float32 blocks are read in place."
    )

    @Option(help: "Synthetic training examples.")
    var examples: Int = 200_000

    @Option(help: "Gradient dimension.")
    var dimension: Int = 2560

    @Option(help: "Examples per block.")
    var blockRows: Int = 1024

    @Option(parsing: .upToNextOption, help: "Query counts to measure.")
    var queries: [Int] = [1, 8, 64]

    @Option(help: "Examples kept per query at each end.")
    var k: Int = 10

    @Option(help: "Threads for scoring, the bandwidth probe and the sgemm peak (default: all cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(parsing: .upToNextOption,
            help: "Scoring lanes to measure (default: one per thread, each with single-threaded BLAS; 1: one lane with --threads OpenBLAS threads).")
    var lanes: [Int] = []

    @Option(help: "Timed passes per measurement (after one warm-up pass); the best is reported.")
    var repetitions: Int = 3

    func validate() throws {
        guard examples >= 1, dimension >= 1, blockRows >= 1, threads >= 1, repetitions >= 1 else {
            throw ValidationError("--examples, --dimension, --block-rows, --threads and --repetitions must be at least 1.")
        }
        guard !queries.isEmpty, queries.allSatisfy({ $0 >= 1 }), lanes.allSatisfy({ $0 >= 1 }), k >= 0 else {
            throw ValidationError("--queries and --lanes need counts of at least 1, and --k must not be negative.")
        }
        guard dimension <= Int(Int32.max), blockRows * dimension <= Int(Int32.max) else {
            throw ValidationError("a block must hold fewer than 2³¹ values (BLAS indexes with 32-bit integers).")
        }
    }

    func run() throws {
        BLASThreads.set(threads)
        let bandwidth = MemoryBandwidth.measure(bytes: 1 << 30, threads: threads, minimumSeconds: 2)
        let peak = SgemmPeak.measure(size: 1024, minimumSeconds: 2)
        print("scoring \(examples) examples × \(dimension) values in blocks of \(blockRows), k \(k), \(threads) threads")
        print(String(format: "memory read bandwidth (1 GiB, %d threads, same run): %.1f GB/s", threads, bandwidth))
        print(String(format: "sgemm peak (1024³, %d OpenBLAS threads, same run): %.1f GFLOP/s", threads, peak))
        print(String(format: "bound by bandwidth below Q ≈ %.0f queries (float32; %.0f for float16), by GEMM above",
                     2 * peak / bandwidth, peak / bandwidth))
        print("lanes 1: one lane, OpenBLAS threads = \(threads); lanes n > 1: n lanes, each with single-threaded BLAS calls")
        print("precision  lanes  Q    seconds  examples/s  GB/s   %bandwidth  GFLOP/s  %sgemm-peak  bound      %of-bound")
        for precision in GradientBlockView.Precision.allCases {
            let data = SyntheticGradients(examples: examples, dimension: dimension, precision: precision)
            defer { data.deallocate() }
            for laneCount in lanes.isEmpty ? [threads] : lanes {
                BLASThreads.set(laneCount == 1 ? threads : 1)
                let parallelism: ScoringParallelism = laneCount == 1 ? .blasThreads : .lanes(laneCount)
                for queryCount in queries {
                    var generator = SeededGenerator(keys: 0x5c02e, UInt64(queryCount))
                    let queryMatrix = Tensor(shape: [queryCount, dimension], scalars: generator.normals(count: queryCount * dimension))
                    var passes: [Double] = []
                    for _ in 0...repetitions {
                        try passes.append(timed { try scoreAll(data, queries: queryMatrix, parallelism: parallelism) })
                    }
                    report(precision: precision, lanes: laneCount, queryCount: queryCount, seconds: passes.dropFirst().min() ?? 0,
                           bytes: Double(data.byteCount), bandwidth: bandwidth, peak: peak)
                }
            }
        }
    }

    /// One full scan: a fresh session over every block, then the rankings.
    private func scoreAll(_ data: SyntheticGradients, queries: Tensor, parallelism: ScoringParallelism) throws {
        var session = try ScoringSession(queries: queries, k: k, parallelism: parallelism)
        for start in stride(from: 0, to: examples, by: blockRows) {
            let rows = min(blockRows, examples - start)
            let bytesPerRow = dimension * data.precision.bytesPerValue
            let view = try GradientBlockView(
                ids: UnsafeBufferPointer(start: data.ids + start, count: rows),
                values: UnsafeRawBufferPointer(start: data.values + start * bytesPerRow, count: rows * bytesPerRow),
                rows: rows, dimension: dimension, precision: data.precision)
            try session.consume(view)
        }
        let result = session.finish()
        guard result.rankings.allSatisfy({ $0.top.count == min(k, examples) }) else {
            throw ValidationError("scoring returned short rankings")
        }
    }

    private func report(precision: GradientBlockView.Precision, lanes: Int, queryCount: Int, seconds: Double, bytes: Double,
                        bandwidth: Double, peak: Double) {
        let flops = 2 * Double(examples) * Double(dimension) * Double(queryCount)
        let gigabytesPerSecond = bytes / seconds / 1e9
        let gigaflopsPerSecond = flops / seconds / 1e9
        let bandwidthSeconds = bytes / (bandwidth * 1e9)
        let gemmSeconds = flops / (peak * 1e9)
        let bound = bandwidthSeconds >= gemmSeconds ? "bandwidth" : "GEMM"
        let name = "\(precision)".padding(toLength: 9, withPad: " ", startingAt: 0)
        print(name + String(format: "  %-5d  %-3d  %7.3f  %10.0f  %5.1f  %9.0f%%  %7.1f  %10.0f%%  ", lanes, queryCount, seconds,
                            Double(examples) / seconds, gigabytesPerSecond, 100 * gigabytesPerSecond / bandwidth,
                            gigaflopsPerSecond, 100 * gigaflopsPerSecond / peak)
              + bound.padding(toLength: 9, withPad: " ", startingAt: 0)
              + String(format: "  %8.0f%%", 100 * max(bandwidthSeconds, gemmSeconds) / seconds))
    }
}

/// Synthetic per-example gradients laid out like consecutive store blocks: ids 0..<examples and
/// one row-major `[examples × dimension]` matrix, filled in parallel with a hash of the index
/// (uniform in [−1, 1), any values do: the throughput does not depend on them).
private struct SyntheticGradients: @unchecked Sendable {
    let ids: UnsafeMutablePointer<Int64>
    let values: UnsafeMutableRawPointer
    let byteCount: Int
    let precision: GradientBlockView.Precision

    init(examples: Int, dimension: Int, precision: GradientBlockView.Precision) {
        self.precision = precision
        let count = examples * dimension
        byteCount = count * precision.bytesPerValue
        ids = .allocate(capacity: examples)
        for index in 0..<examples { (ids + index).initialize(to: Int64(index)) }
        values = .allocate(byteCount: byteCount, alignment: 64)
        let filler = Filler(values: values, precision: precision, count: count, parts: 64)
        DispatchQueue.concurrentPerform(iterations: filler.parts) { filler.fill(part: $0) }
    }

    func deallocate() {
        ids.deallocate()
        values.deallocate()
    }
}

private struct Filler: @unchecked Sendable {
    let values: UnsafeMutableRawPointer
    let precision: GradientBlockView.Precision
    let count: Int
    let parts: Int

    func fill(part: Int) {
        let share = (count + parts - 1) / parts
        for index in (part * share)..<min(count, (part + 1) * share) {
            var x = UInt64(index) &* 0x9E37_79B9_7F4A_7C15
            x = (x ^ (x >> 31)) &* 0xBF58_476D_1CE4_E5B9
            let value = Float(Int32(truncatingIfNeeded: x >> 32)) * 0x1p-31
            switch precision {
            case .float32: values.storeBytes(of: value, toByteOffset: 4 * index, as: Float.self)
            case .float16: values.storeBytes(of: HalfPrecision.float16Bits(from: value), toByteOffset: 2 * index, as: UInt16.self)
            }
        }
    }
}

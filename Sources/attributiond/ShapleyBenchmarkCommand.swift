import ArgumentParser
import DiffusionModel
import Foundation
import Numerics

/// `attributiond benchmark-shapley`: contributor values by sparsified fine-tuning and by
/// influence judged against retraining-based Shapley values on the demo data, with a
/// counterfactual check of the rankings.
struct ShapleyBenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "benchmark-shapley",
        abstract: "Compare sparsified fine-tuning and influence contributor values with retraining-based Shapley values.",
        discussion: """
            Writes synthetic glyph shards of a few contributors, trains and indexes the full model, \
            retrains a model on every coalition of contributors (exact Shapley values), values \
            them by sparsified fine-tuning (exactly, and sampled as the daemon does) and by \
            influence, and retrains without the top- and bottom-ranked contributors. Prints \
            markdown tables and writes shapley-results.json and shapley-values.png into --work. \
            Everything is cached in --work: a rerun computes only what is missing.
            """
    )

    @Option(help: "Benchmark settings (JSON).")
    var config: String = "Config/shapley-benchmark.json"

    @Option(help: "Work folder: data, the full model, its index, coalition values, results.")
    var work: String

    @Flag(help: "Ignore everything cached in --work and compute it again.")
    var fresh = false

    func run() throws {
        let start = ContinuousClock.now
        let settings = try ShapleyBenchmarkConfig.load(contentsOf: URL(fileURLWithPath: config))
        let workFolder = try ShapleyBenchmarkWork(folder: URL(fileURLWithPath: work), fresh: fresh)
        // Every lane runs with single-threaded BLAS, so coalition seconds are one-core seconds.
        BLASThreads.set(1)
        let sgemm = SgemmPeak.measure(size: 1024, minimumSeconds: 2)
        printProgress(String(format: "machine: single-thread sgemm peak %.1f GFLOP/s (1024³, this run); %d lanes of one BLAS thread",
                             sgemm, settings.workers))
        var benchmark = try ShapleyBenchmarkRun(config: settings, work: workFolder)
        try benchmark.evaluateRetrainingAndFullModel()
        try benchmark.evaluateSparsified()
        let estimates = try benchmark.estimates()
        let counterfactuals = try benchmark.counterfactuals(rankings: [estimates.retraining, estimates.sparsified])
        var report = try benchmark.report(estimates: estimates, counterfactuals: counterfactuals, sgemm: sgemm)
        report.wallSeconds = (ContinuousClock.now - start) / .seconds(1)

        print("")
        print(report.markdown)
        print(String(format: "\nmachine: single-thread sgemm %.1f GFLOP/s; classifier held-out accuracy %.3f; full model training %.0f s, "
                     + "indexing %.0f s; wall time %.0f s (cached parts count their recorded seconds, not wall time)",
                     sgemm, report.classifierHeldOutAccuracy, report.fullModelTrainingSeconds, report.indexSeconds, report.wallSeconds))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let json = workFolder.folder.appendingPathComponent("shapley-results.json")
        try encoder.encode(report).write(to: json, options: .atomic)
        let png = workFolder.folder.appendingPathComponent("shapley-values.png")
        try PNGWriter.write(ShapleyBenchmarkChart.render(report: report, estimators: estimates.charted), to: png)
        print("results: \(json.path), \(png.path)")
    }
}

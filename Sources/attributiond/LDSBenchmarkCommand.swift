import ArgumentParser
import DiffusionModel
import Evaluation
import Foundation
import Numerics

/// `attributiond benchmark-lds`: the linear datamodelling score of every attribution method on
/// the demo data, with the retrained models cached in the work folder.
struct LDSBenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "benchmark-lds",
        abstract: "Retrain on random half subsets and report each attribution method's LDS (table, JSON, PNG).",
        discussion: """
            The first run trains the full model and every subset model (the slow part) and caches \
            them, the query samples and their measurements under --work; a rerun only scores.
            """
    )

    @Option(help: "The protocol (subsets, samples, draws, sweeps).")
    var protocolFile: String = "Config/lds-benchmark.json"

    @Option(help: "Data folder with training shards (as written by generate-data).")
    var data: String

    @Option(help: "Work folder: cached models, samples and measurements, and the results.")
    var work: String

    @Option(help: "OpenBLAS threads (default: all cores).")
    var blasThreads: Int = ProcessInfo.processInfo.activeProcessorCount

    func run() throws {
        BLASThreads.set(blasThreads)
        let settings = try LDSProtocol.load(contentsOf: URL(fileURLWithPath: protocolFile))
        let workFolder = URL(fileURLWithPath: work)
        try FileManager.default.createDirectory(at: workFolder, withIntermediateDirectories: true)
        let log: (String) -> Void = printProgress
        let start = ContinuousClock.now
        let truth = try LDSGroundTruth.prepare(settings: settings, data: URL(fileURLWithPath: data), work: workFolder, log: log)
        let prepared = ContinuousClock.now
        let results = try LDSBenchmark.run(truth: truth, settings: settings, log: log)
        let scored = ContinuousClock.now

        print("")
        print("LDS over \(settings.samples) samples, \(settings.subsets) subsets of \(Int(settings.fraction * 100))% "
              + "of \(settings.examples) examples, \(settings.seedsPerSubset) seed(s) each (95% bootstrap interval):")
        for group in ["methods", "damping", "projection", "draws"] {
            let lines = results.filter { $0.group == group }
            guard !lines.isEmpty else { continue }
            print("\n[\(group)]")
            for line in lines {
                let interval = line.score.interval
                print(String(format: "  %-22@ %-40@ %.3f  [%.3f, %.3f]", line.method, line.setting,
                             interval.mean, interval.lower, interval.upper))
            }
        }
        print(String(format: "\nground truth: %.0f s (training, sampling and measuring; cached for reruns); scoring: %.0f s",
                     (prepared - start) / .seconds(1), (scored - prepared) / .seconds(1)))

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let json = workFolder.appendingPathComponent("lds-results.json")
        try encoder.encode(LDSReport(protocolSettings: settings, results: results)).write(to: json, options: .atomic)
        let chart = BarChart(title: "LDS (Spearman, mean over samples, 95% interval)", bars: results.map {
            BarChart.Bar(label: "\($0.method): \($0.setting)", value: $0.score.interval.mean,
                         interval: $0.score.interval.lower...$0.score.interval.upper)
        })
        let png = workFolder.appendingPathComponent("lds-results.png")
        try PNGWriter.write(chart.render(), to: png)
        print("results: \(json.path), \(png.path)")
    }
}

/// The JSON written next to the table.
private struct LDSReport: Encodable {
    let protocolSettings: LDSProtocol
    let results: [LDSResult]

    enum CodingKeys: String, CodingKey {
        case protocolSettings = "protocol", results
    }
}

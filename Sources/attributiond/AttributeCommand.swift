import ArgumentParser
import Attribution
import Foundation
import Indexing
import Numerics

/// `attributiond attribute`: which training examples made the model generate these samples.
struct AttributeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attribute",
        abstract: "Rank the indexed training examples by their influence on generated samples.",
        discussion: "Samples are PNG files or safetensors files with an `images` or `samples` tensor, [N,C,H,W] or [C,H,W]."
    )

    @Argument(help: "Training run folder that was indexed.")
    var trainingDir: String

    @Option(name: .customLong("sample"), help: "File of generated samples (repeatable).")
    var samples: [String]

    @Option(help: "Store folder (default: <training-dir>/attribution-store).")
    var store: String?

    @Option(help: "Examples listed at each end of the ranking.")
    var topK: Int = 10

    @Option(help: "Checkpoints: latest, all, or comma-separated steps (scores summed).")
    var checkpoints: String = "latest"

    @Option(help: "Measurement: loss or elbo.")
    var measurement: String = "loss"

    @Option(help: "Curvature: ekfac, kfac or identity.")
    var curvature: String = "ekfac"

    @Option(help: "Damping relative to each layer's mean eigenvalue.")
    var damping: Float = 0.1

    @Flag(help: "Print JSON instead of tables.")
    var json = false

    func validate() throws {
        guard topK >= 1 else { throw ValidationError("--top-k must be at least 1.") }
        guard !samples.isEmpty else { throw ValidationError("Give at least one --sample file.") }
        guard QueryMeasurement(rawValue: measurement) != nil else { throw ValidationError("--measurement must be loss or elbo.") }
        guard Curvature.Mode(rawValue: curvature) != nil else { throw ValidationError("--curvature must be ekfac, kfac or identity.") }
        guard damping > 0 else { throw ValidationError("--damping must be positive.") }
        _ = try selection()
    }

    func run() throws {
        let run = TrainingRun(folder: URL(fileURLWithPath: trainingDir))
        let folder = URL(fileURLWithPath: store ?? run.folder.appendingPathComponent("attribution-store").path)
        let opened = try IndexStoreFolder.open(folder, requested: nil)
        let images = try QuerySamples.concatenate(samples.map { try QuerySamples.load(contentsOf: URL(fileURLWithPath: $0)) })
        let attributor = Attributor(run: run, store: opened.store, settings: opened.settings)
        let result = try attributor.attribute(AttributionQuery(
            samples: images, topK: topK, checkpoints: try selection(),
            measurement: QueryMeasurement(rawValue: measurement) ?? .loss,
            curvature: Curvature.Mode(rawValue: curvature) ?? .ekfac, damping: .relative(damping)))
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        } else {
            print(AttributionTable.render(result))
        }
    }

    private func selection() throws -> CheckpointSelection {
        switch checkpoints {
        case "latest": return .latest
        case "all": return .all
        default:
            let steps = checkpoints.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !steps.isEmpty, steps.allSatisfy({ $0 != nil }) else {
                throw ValidationError("--checkpoints must be latest, all, or comma-separated steps.")
            }
            return .steps(steps.compactMap { $0 })
        }
    }
}

/// Plain-text tables of an attribution result.
enum AttributionTable {
    static func render(_ result: AttributionResult) -> String {
        var lines = ["checkpoint(s) \(result.checkpoints.map(String.init).joined(separator: ", ")); \(result.examples) examples scored"]
        for (index, sample) in result.samples.enumerated() {
            lines.append("\nsample \(index): top \(sample.top.count) proponents (training on them lowers the sample's loss)")
            lines.append("   rank  example id  score        contributor        shard:row")
            for (rank, example) in sample.top.enumerated() { lines.append(row(rank, example)) }
            lines.append("  opponents (bottom \(sample.bottom.count))")
            for (rank, example) in sample.bottom.enumerated() { lines.append(row(rank, example)) }
            lines.append("  contributors (summed scores)")
            for contributor in sample.contributors {
                lines.append(String(format: "    %-20@ %+.4e  (%d examples)", contributor.name ?? "#\(contributor.contributor)",
                                    contributor.score, contributor.examples))
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func row(_ rank: Int, _ example: AttributedExample) -> String {
        String(format: "   %4d  %10lld  %+.4e  %-17@  %@:%d", rank + 1, example.id, example.score,
               example.contributorName ?? "#\(example.contributor)", example.shard, example.row)
    }
}

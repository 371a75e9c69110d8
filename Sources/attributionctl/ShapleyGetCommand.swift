import ArgumentParser
import AttributionClient
import AttributionProtocol
import DiffusionModel
import Foundation

/// `attributionctl shapley get`: the contributors' Shapley values, as tables or bar charts.
struct ShapleyGetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Show the contributors' Shapley values: one table per property, estimator and checkpoint.",
        discussion: """
            Without --step, the newest valuation of each property and estimator. Rows come better first: by value \
            descending when a higher property is better, ascending when a lower one is (a contributor who lowered \
            a loss most leads). SHARE is the contributor's part of F(all) − F(∅). With --png, also writes one bar \
            chart per valuation (value ± 1.96 standard errors), stacked in one image.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Only this property (e.g. held_out_loss, class_diversity, kernel_distance).")
    var property: String?

    @Option(help: "Only this estimator: sparsified_fine_tuning, retraining or influence.", transform: ShapleyArguments.estimator)
    var estimator: ShapleyEstimatorKind?

    @Option(help: "Only valuations of this checkpoint (default: the newest of each property and estimator).")
    var step: Int?

    @Option(help: ArgumentHelp("Write the valuations' bar charts, stacked, as a PNG.", valueName: "file"))
    var png: String?

    func validate() throws {
        if property?.isEmpty == true { throw ValidationError("--property must not be empty.") }
        if let step, step < 0 { throw ValidationError("--step must be 0 or more.") }
    }

    func run() throws {
        try perform { print($0) }
    }

    /// Asks the daemon and writes the tables (or JSON) to `output` and the charts to `--png`.
    func perform(output: (String) -> Void) throws {
        let client = try global.connect()
        defer { client.close() }
        let result = try client.call(.shapleyGet, ShapleyGetParams(property: property, estimator: estimator, step: step), as: ShapleyGetResult.self)
        if global.json {
            output(try ShapleyReport.json(result))
        } else {
            output(ShapleyReport.render(result.valuations))
        }
        guard let png else { return }
        guard !result.valuations.isEmpty else { throw ShapleyChartError.nothingToDraw }
        try PNGWriter.write(ShapleyCharts.render(result.valuations), to: URL(fileURLWithPath: png))
        if !global.json { output("\nbar charts: \(png)") }
    }
}

/// Why `shapley get --png` wrote no picture.
enum ShapleyChartError: Error, CustomStringConvertible {
    /// No valuation matched, so there is no chart to draw.
    case nothingToDraw

    var description: String {
        switch self {
        case .nothingToDraw: "no Shapley values match, so there is no chart to write"
        }
    }
}

import ArgumentParser
import AttributionProtocol
import DiffusionModel
import Foundation
import Testing
@testable import attributionctl

/// `attributionctl shapley get` against a fake daemon: what it asks, tables, JSON, bar charts.
@Suite struct CtlShapleyGetTests {
    static let valuations = [CtlShapleyFixtures.olderLoss, CtlShapleyFixtures.loss, CtlShapleyFixtures.diversity]

    /// Parses `arguments` after `attributionctl shapley get --socket PATH`.
    static func command(_ daemon: CtlShapleyFakeDaemon, _ arguments: [String] = []) throws -> ShapleyGetCommand {
        let parsed = try AttributionCtl.parseAsRoot(["shapley", "get", "--socket", daemon.path] + arguments)
        return try #require(parsed as? ShapleyGetCommand)
    }

    /// Runs the command and returns what it printed.
    static func output(of command: ShapleyGetCommand) throws -> String {
        var lines: [String] = []
        try command.perform { lines.append($0) }
        return lines.joined(separator: "\n")
    }

    @Test func forwardsTheFiltersAndPrintsOneTablePerValuation() throws {
        let daemon = try CtlShapleyFakeDaemon(valuations: Self.valuations)
        defer { daemon.stop() }
        #expect(try Self.output(of: Self.command(daemon)) == ShapleyReport.render([CtlShapleyFixtures.loss, CtlShapleyFixtures.diversity]))
        let older = try Self.output(of: Self.command(daemon, ["--property", "held_out_loss", "--estimator", "sparsified_fine_tuning", "--step", "200"]))
        #expect(older == ShapleyReport.render([CtlShapleyFixtures.olderLoss]))
        #expect(try Self.output(of: Self.command(daemon, ["--estimator", "influence"])) == ShapleyReport.render([]))
        #expect(daemon.asked.get == [
            ShapleyGetParams(),
            ShapleyGetParams(property: "held_out_loss", estimator: .sparsifiedFineTuning, step: 200),
            ShapleyGetParams(estimator: .influence),
        ])
    }

    @Test func jsonIsTheDaemonsResult() throws {
        let daemon = try CtlShapleyFakeDaemon(valuations: Self.valuations)
        defer { daemon.stop() }
        let text = try Self.output(of: Self.command(daemon, ["--json"]))
        let decoded = try ProtocolCoding.makeDecoder().decode(ShapleyGetResult.self, from: Data(text.utf8))
        #expect(decoded == ShapleyGetResult(valuations: [CtlShapleyFixtures.loss, CtlShapleyFixtures.diversity]))
        #expect(text.contains("\"higher_is_better\" : false"))
    }

    @Test func pngStacksOneChartPerValuation() throws {
        let daemon = try CtlShapleyFakeDaemon(valuations: Self.valuations)
        defer { daemon.stop() }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("shapley-\(UUID().uuidString.prefix(8)).png")
        defer { try? FileManager.default.removeItem(at: file) }
        let text = try Self.output(of: Self.command(daemon, ["--png", file.path]))
        #expect(text.hasSuffix("\nbar charts: \(file.path)"))

        let image = try PNGReader.read(contentsOf: file)
        let charts = [CtlShapleyFixtures.loss, CtlShapleyFixtures.diversity].map { ShapleyCharts.chart($0).render() }
        #expect(image.width == charts.map(\.width).max())
        #expect(image.height == charts[0].height + ShapleyCharts.separator + charts[1].height)
        // Each chart sits whole at its place, the grey separator between them.
        #expect(Self.region(of: image, y: 0, like: charts[0]))
        #expect(Self.region(of: image, y: charts[0].height + ShapleyCharts.separator, like: charts[1]))
        #expect(image[image.width - 1, charts[0].height] == (160, 160, 160))
    }

    @Test func pngWithoutValuationsFailsAndWritesNothing() throws {
        let daemon = try CtlShapleyFakeDaemon(valuations: [])
        defer { daemon.stop() }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("shapley-\(UUID().uuidString.prefix(8)).png")
        #expect(throws: ShapleyChartError.nothingToDraw) { try Self.output(of: Self.command(daemon, ["--png", file.path])) }
        #expect(!FileManager.default.fileExists(atPath: file.path))
        #expect(ExitStatus(for: ShapleyChartError.nothingToDraw) == .failure)
    }

    @Test func chartBarsFollowTheTableWithNinetyFivePercentWhiskers() {
        let chart = ShapleyCharts.chart(CtlShapleyFixtures.diversity)
        #expect(chart.title == "class_diversity (higher is better), retraining, step 400: value ± 1.96 SE")
        #expect(chart.bars.map(\.label) == ["bob (2)", "alice (1)", "3"])
        #expect(chart.bars.map(\.value) == [0.35, 0.1, 0.05])
        let whisker = chart.bars[0].interval
        #expect(abs((whisker?.lowerBound ?? 0) - (0.35 - 1.96 * 0.05)) < 1e-12)
        #expect(abs((whisker?.upperBound ?? 0) - (0.35 + 1.96 * 0.05)) < 1e-12)
        // Exact enumeration has no sampling error, so no whiskers.
        let exact = ShapleyCharts.chart(CtlShapleyFixtures.loss)
        #expect(exact.title == "held_out_loss (lower is better), sparsified_fine_tuning, step 400: value")
        #expect(exact.bars.map(\.label) == ["bob (2)", "alice (1)", "3", "dora (4)"])
        #expect(exact.bars.allSatisfy { $0.interval == nil })
    }

    /// Whether `image` holds `chart` with its top-left corner at (0, `y`), and white to its right.
    static func region(of image: RGBImage, y: Int, like chart: RGBImage) -> Bool {
        (0..<chart.height).allSatisfy { row in
            let start = (y + row) * image.width * 3, split = start + chart.width * 3, end = start + image.width * 3
            return image.pixels[start..<split].elementsEqual(chart.pixels[(row * chart.width * 3)..<((row + 1) * chart.width * 3)])
                && image.pixels[split..<end].allSatisfy { $0 == 255 }
        }
    }
}

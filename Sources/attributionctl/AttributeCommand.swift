import ArgumentParser
import AttributionClient
import AttributionProtocol
import DiffusionModel
import Foundation

/// `attributionctl attribute`: the training examples behind generated samples.
struct AttributeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attribute",
        abstract: "Rank training examples by their influence on samples: top-k, bottom-k and contributor totals.",
        discussion: "With --png, also writes a contact sheet: each sample beside its top-k training images."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var input: SampleInputOptions
    @OptionGroup var query: QueryOptions

    @Option(help: ArgumentHelp("Write a contact sheet PNG of each sample and its top-k training images.", valueName: "file"))
    var png: String?

    @Option(help: "Enlargement of the images on the contact sheet (default: to about 64 pixels).")
    var pngScale: Int?

    func validate() throws {
        if let pngScale, !(1...64).contains(pngScale) { throw ValidationError("--png-scale must be in 1...64.") }
    }

    func run() throws {
        let inline = try input.loadInline()
        let measurement = try query.measurementName()
        let params = AttributeParams(samples: inline?.tensor, paths: inline == nil ? input.absolutePaths : nil, topK: query.topK,
                                     checkpoints: try query.selector(), measurement: measurement)
        let client = try global.connect()
        defer { client.close() }
        let result = try client.call(.attribute, params, as: AttributeResult.self)
        let labels = inline?.labels ?? input.pathLabels
        if global.json {
            try global.printJSON(result)
        } else {
            print(AttributionReport.render(result, labels: labels))
        }
        guard let png else { return }
        let images = try AttributionSheet.fetchImages(ids: result.samples.flatMap { $0.top.map(\.id) }, client: client)
        let queries = inline ?? input.loadPathsLocally()
        let sheet = AttributionSheet.make(result: result, measurement: measurement, queries: queries, labels: labels, images: images, scale: pngScale)
        try PNGWriter.write(sheet.render(), to: URL(fileURLWithPath: png))
        if !global.json { print("\ncontact sheet: \(png)") }
    }
}

import ArgumentParser
import AttributionClient
import AttributionProtocol
import DiffusionModel
import Foundation

/// `attributionctl example`: one training example's metadata, and optionally its image.
struct ExampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "example",
        abstract: "Show a training example: shard, row, contributor, label and self-influence per checkpoint."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The example's id.")
    var id: Int64

    @Option(help: ArgumentHelp("Write the example's image as a PNG, enlarged to about 64 pixels.", valueName: "file"))
    var png: String?

    func run() throws {
        let client = try global.connect()
        defer { client.close() }
        let example = try client.call(.example, ExampleParams(id: id, includeImage: png != nil), as: ExampleResult.self)
        if global.json {
            try global.printJSON(example)
        } else {
            print(Self.render(example))
        }
        guard let png else { return }
        guard let tensor = example.image, let image = TileImages.rgb(tensor) else { throw ExampleImageError.noImage(id: id) }
        try PNGWriter.write(image, to: URL(fileURLWithPath: png))
        if !global.json { print("image: \(png)") }
    }

    /// The metadata as aligned lines, then self-influence by step.
    static func render(_ example: ExampleResult) -> String {
        var facts = TextTable([.init(""), .init("")])
        facts.append(["example", "\(example.id)\(example.heldOut ? " (held out)" : "")"])
        facts.append(["shard", "\(example.shard) row \(example.row)"])
        facts.append(["contributor", Formatting.contributor(id: example.contributor, name: example.contributorName)])
        facts.append(["label", example.label.map(String.init) ?? "-"])
        var text = facts.render(header: false)
        if !example.selfInfluence.isEmpty {
            var influence = TextTable([.init("STEP", .right), .init("SELF-INFLUENCE", .right)])
            for value in example.selfInfluence.sorted(by: { $0.step < $1.step }) { influence.append(["\(value.step)", Formatting.score(value.value)]) }
            text += "\n\n\(influence.render())"
        }
        return text
    }
}

/// Why `example --png` wrote nothing.
enum ExampleImageError: Error, CustomStringConvertible {
    /// The daemon sent no image, or one that is not 1 or 3 channels of the right size.
    case noImage(id: Int64)

    var description: String {
        switch self {
        case .noImage(let id): "the daemon sent no usable image for example \(id)"
        }
    }
}

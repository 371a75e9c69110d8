import ArgumentParser
import DiffusionModel
import Foundation

/// `attributiond generate-data`: writes the synthetic shape image set as data shards.
struct GenerateDataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate-data",
        abstract: "Write a synthetic image set (coloured shapes from several contributors) as data shards.",
        discussion: """
            Training shards are DIR/shard-00000.safetensors, …; held-out shards DIR/heldout-00000.safetensors, ….
            Ids are unique across all shards. The same seed always gives the same files.
            """
    )

    @Option(help: "Folder to write the shards into (created if missing).")
    var output: String

    @Option(help: "Number of training shards.")
    var shards: Int = 4

    @Option(help: "Examples per shard.")
    var perShard: Int = 512

    @Option(help: "Image side in pixels (8 to 256; 16 or 32 suit the demo model).")
    var size: Int = 16

    @Option(help: "Number of data contributors.")
    var contributors: Int = 8

    @Option(help: "Random seed.")
    var seed: UInt64 = 0

    @Option(help: "Number of held-out shards, with ids after all training ids.")
    var heldOutShards: Int = 1

    @Option(help: "Also write a PNG grid of the first 64 training examples to this file.")
    var preview: String?

    func validate() throws {
        guard shards >= 0, heldOutShards >= 0, shards + heldOutShards >= 1 else {
            throw ValidationError("--shards and --held-out-shards must not be negative, and at least one shard is needed.")
        }
        guard perShard >= 1 else { throw ValidationError("--per-shard must be at least 1.") }
        guard (8...256).contains(size) else { throw ValidationError("--size must be between 8 and 256.") }
        guard contributors >= 1 else { throw ValidationError("--contributors must be at least 1.") }
    }

    func run() throws {
        let glyphs = SyntheticGlyphs(size: size, contributors: contributors, seed: seed)
        let writer = SyntheticDatasetWriter(glyphs: glyphs, shards: shards, perShard: perShard, heldOutShards: heldOutShards)
        let folder = URL(fileURLWithPath: output, isDirectory: true)
        let summary = try writer.write(to: folder)
        print("Wrote \(shards) training shard(s) (\(summary.trainingExamples) examples) and \(heldOutShards) held-out shard(s) "
            + "(\(summary.heldOutExamples) examples) of 3×\(size)×\(size) images to \(folder.path) (seed \(seed)).")
        if let preview {
            let examples = try glyphs.shard(ids: 0..<Int64(min(64, shards * perShard)))
            let grid = ImageGrid.compose(images: examples.images, columns: 8, padding: 1, scale: 2)
            try PNGWriter.write(grid, to: URL(fileURLWithPath: preview))
            print("Wrote a preview of the first \(examples.count) training examples to \(preview).")
        }
        print("Training examples per contributor:")
        for (id, name) in glyphs.contributorNames.sorted(by: { $0.key < $1.key }) {
            print("  \(id) \(name): \(summary.trainingExamplesPerContributor[id, default: 0])")
        }
        print("Training examples per class:")
        for (label, name) in SyntheticGlyphs.classNames.sorted(by: { $0.key < $1.key }) {
            print("  \(label) \(name): \(summary.trainingExamplesPerClass[label, default: 0])")
        }
    }
}

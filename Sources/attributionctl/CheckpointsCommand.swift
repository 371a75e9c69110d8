import ArgumentParser
import AttributionClient
import AttributionProtocol

/// `attributionctl checkpoints`: every checkpoint the daemon knows and its indexing state.
struct CheckpointsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoints",
        abstract: "List the checkpoints the daemon knows, with their indexing state."
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let client = try global.connect()
        defer { client.close() }
        let result = try client.call(.checkpoints, as: CheckpointsResult.self)
        if global.json {
            try global.printJSON(result)
        } else {
            print(Self.render(result))
        }
    }

    /// One row per checkpoint, then the failures spelled out.
    static func render(_ result: CheckpointsResult) -> String {
        guard !result.checkpoints.isEmpty else { return "no checkpoints yet" }
        var table = TextTable([.init("STEP", .right), .init("STATUS"), .init("SHARDS", .right), .init("EXAMPLES", .right),
                               .init("REGISTERED"), .init("INDEXED"), .init("PATH")])
        for checkpoint in result.checkpoints {
            table.append(["\(checkpoint.step)", checkpoint.status, "\(checkpoint.shardsIndexed)/\(checkpoint.shardsTotal)", "\(checkpoint.examples)",
                          Formatting.date(checkpoint.registeredAt), Formatting.date(checkpoint.indexedAt), checkpoint.path])
        }
        let failures = result.checkpoints.compactMap { checkpoint in checkpoint.failure.map { "step \(checkpoint.step) failed: \($0)" } }
        return ([table.render()] + failures).joined(separator: "\n")
    }
}

import ArgumentParser
import AttributionClient
import AttributionProtocol

/// `attributionctl probes history`: how a probe's top-k changed across checkpoints.
struct ProbesHistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show how a probe's top-k changed across checkpoints: ranks by step, and the examples that entered and left."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The probe's name.")
    var name: String

    func run() throws {
        let client = try global.connect()
        defer { client.close() }
        let result = try client.call(.probesHistory, ProbeNameParams(name: name), as: ProbeHistoryResult.self)
        if global.json {
            try global.printJSON(result)
        } else {
            print(ProbeHistoryReport.render(result))
        }
    }
}

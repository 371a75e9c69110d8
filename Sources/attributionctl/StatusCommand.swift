import ArgumentParser
import AttributionClient
import AttributionProtocol

/// `attributionctl status`: what the daemon knows and is doing.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show checkpoints, examples, the ingest backlog, recent errors, probes and connections."
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let client = try global.connect()
        defer { client.close() }
        let status = try client.call(.status, as: StatusResult.self)
        if global.json {
            try global.printJSON(status)
        } else {
            print(StatusReport.render(status))
        }
    }
}

import ArgumentParser
import AttributionClient
import AttributionProtocol

/// `attributionctl probes remove`: drops a probe and its history.
struct ProbesRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a probe and its history.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The probe's name.")
    var name: String

    func run() throws {
        let client = try global.connect()
        defer { client.close() }
        let result = try client.call(.probesRemove, ProbeNameParams(name: name), as: ProbeRemoveResult.self)
        if global.json {
            try global.printJSON(result)
        } else {
            print(result.removed ? "probe \(name) removed" : "no probe named \(name)")
        }
    }
}

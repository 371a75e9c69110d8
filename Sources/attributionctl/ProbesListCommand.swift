import ArgumentParser
import AttributionClient
import AttributionProtocol

/// `attributionctl probes list`: the registered probes.
struct ProbesListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the registered probes.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let client = try global.connect()
        defer { client.close() }
        let result = try client.call(.probesList, as: ProbesListResult.self)
        if global.json {
            try global.printJSON(result)
        } else {
            print(Self.render(result))
        }
    }

    /// One row per probe.
    static func render(_ result: ProbesListResult) -> String {
        guard !result.probes.isEmpty else { return "no probes" }
        var table = TextTable([.init("NAME"), .init("IMAGES", .right), .init("TOP-K", .right), .init("ADDED"), .init("LAST STEP", .right)])
        for probe in result.probes {
            table.append([probe.name, "\(probe.samples)", "\(probe.topK)", Formatting.date(probe.addedAt), probe.lastStep.map(String.init) ?? "-"])
        }
        return table.render()
    }
}

import ArgumentParser
import AttributionClient
import AttributionProtocol

/// `attributionctl probes add`: registers samples to follow across checkpoints.
struct ProbesAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Register samples as a probe, re-attributed at every checkpoint from now on."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The probe's name (letters, digits, '-', '_', '.'; at most 64 characters).")
    var name: String

    @OptionGroup var input: SampleInputOptions

    @Option(help: "Examples kept per sample at each checkpoint (default: the daemon's).")
    var topK: Int?

    func validate() throws {
        if let topK, topK < 1 { throw ValidationError("--top-k must be at least 1.") }
    }

    func run() throws {
        let inline = try input.loadInline()
        let params = ProbeAddParams(name: name, samples: inline?.tensor, paths: inline == nil ? input.absolutePaths : nil, topK: topK)
        let client = try global.connect()
        defer { client.close() }
        let probe = try client.call(.probesAdd, params, as: ProbeAddResult.self)
        if global.json {
            try global.printJSON(probe)
        } else {
            print("probe \(probe.name) added: \(probe.samples) image\(probe.samples == 1 ? "" : "s"), top \(probe.topK), "
                  + "re-attributed whenever a checkpoint finishes indexing")
        }
    }
}

import ArgumentParser

/// `attributionctl probes`: samples re-attributed at every newly indexed checkpoint.
struct ProbesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probes",
        abstract: "Manage probes: samples the daemon re-attributes whenever a checkpoint finishes indexing.",
        subcommands: [ProbesAddCommand.self, ProbesListCommand.self, ProbesHistoryCommand.self, ProbesRemoveCommand.self]
    )
}

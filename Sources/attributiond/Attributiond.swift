import ArgumentParser

/// The `attributiond` command: the daemon and its offline tools.
@main
struct Attributiond: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attributiond",
        abstract: "Training-data attribution for diffusion models.",
        subcommands: [GenerateDataCommand.self]
    )
}

import ArgumentParser

/// The `attributiond` command: the daemon and its offline tools.
@main
struct Attributiond: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attributiond",
        abstract: "Training-data attribution for diffusion models.",
        subcommands: [RunCommand.self, GenerateDataCommand.self, TrainCommand.self, SampleCommand.self, BenchmarkCommand.self, ScoringBenchmarkCommand.self,
                      LDSBenchmarkCommand.self, ShapleyBenchmarkCommand.self, DaemonBenchmarkCommand.self, IndexCommand.self, AttributeCommand.self]
    )

    /// Tunes the allocator for the engine's large short-lived buffers, then runs the subcommand.
    static func main() async {
        AllocatorTuning.apply()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

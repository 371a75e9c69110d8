import ArgumentParser
import Foundation

/// The `attributionctl` command: asks a running attributiond over its socket.
@main
struct AttributionCtl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attributionctl",
        abstract: "Ask a running attributiond which training data made its model generate a sample.",
        discussion: """
            The socket is --socket PATH, else $ATTRIBUTIOND_SOCKET, else \(GlobalOptions.defaultSocketPath).

            Exit status: 0 on success, 1 when the daemon answers with an error or the call fails, \
            2 for a usage error, 69 when the daemon cannot be reached.
            """,
        subcommands: [StatusCommand.self, AttributeCommand.self, ContributorsCommand.self, CheckpointsCommand.self,
                      ExampleCommand.self, ProbesCommand.self, ShapleyCommand.self, WaitCommand.self]
    )

    /// Declared here as well as in every subcommand so `--socket`, `--json` and `--timeout` may
    /// come before the subcommand's name; both declarations read the same parsed values.
    @OptionGroup var global: GlobalOptions

    /// Parses the command line and runs the subcommand, with `attributionctl`'s exit statuses
    /// (see `ExitStatus`) instead of ArgumentParser's.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
            Foundation.exit(ExitStatus.success.rawValue)
        } catch {
            // Help and version requests arrive as errors too, from parsing or from running.
            if exitCode(for: error) == .success {
                print(fullMessage(for: error))
                Foundation.exit(ExitStatus.success.rawValue)
            }
            let status = exitCode(for: error) == .validationFailure ? ExitStatus.usage : ExitStatus(for: error)
            let text = status == .usage ? "\(message(for: error))\n\(usageHint(for: error))" : "\(error)\n"
            FileHandle.standardError.write(Data("attributionctl: \(text)".utf8))
            Foundation.exit(status.rawValue)
        }
    }

    /// The "Usage:" lines ArgumentParser prints after the message, so the user sees the right form.
    private static func usageHint(for error: any Error) -> String {
        let lines = fullMessage(for: error).split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("Usage:") }) else { return "" }
        return lines[start...].joined(separator: "\n") + "\n"
    }
}

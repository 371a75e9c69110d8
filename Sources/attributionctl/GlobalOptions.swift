import ArgumentParser
import AttributionClient
import AttributionProtocol
import Foundation

/// The options every subcommand takes: where the daemon is, how long to wait, how to print.
struct GlobalOptions: ParsableArguments {
    /// Where the packaged socket unit listens.
    static let defaultSocketPath = "/run/attributiond.sock"

    @Option(help: "The daemon's socket (default: $ATTRIBUTIOND_SOCKET, else \(defaultSocketPath)).")
    var socket: String?

    @Flag(help: "Print the daemon's result as JSON instead of tables.")
    var json = false

    @Option(help: "Seconds to wait for each answer.")
    var timeout: Double = 300

    func validate() throws {
        guard timeout > 0, timeout <= 1_000_000 else { throw ValidationError("--timeout must be a number of seconds in (0, 1000000].") }
    }

    /// The socket path in effect.
    var socketPath: String {
        if let socket { return socket }
        if let fromEnvironment = ProcessInfo.processInfo.environment["ATTRIBUTIOND_SOCKET"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return Self.defaultSocketPath
    }

    /// A connection to the daemon.
    func connect() throws(ClientError) -> AttributionClient {
        try AttributionClient(socketPath: socketPath, timeout: .milliseconds(Int64((timeout * 1000).rounded(.up))))
    }

    /// Prints `result` as indented JSON with the protocol's key names.
    func printJSON<Value: Encodable>(_ result: Value) throws {
        let encoder = ProtocolCoding.makeEncoder()
        encoder.outputFormatting.insert(.prettyPrinted)
        print(String(decoding: try encoder.encode(result), as: UTF8.self))
    }
}

import ArgumentParser
import AttributionDaemon
import Foundation
import Logging
import Systemd

/// `attributiond run`: the daemon itself (what the systemd unit starts).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Watch a training run, index it live, and answer attribution queries on a Unix socket.",
        discussion: """
            Reads the TOML configuration (every key is documented in Config/attributiond.toml). Under systemd \
            it reports readiness, progress and watchdog pings, adopts a socket-activated listener and logs to \
            the journal; elsewhere it binds the configured socket path and logs to standard error. \
            SIGTERM or SIGINT stop it gracefully. A bad configuration exits with status 78 (EX_CONFIG).
            """
    )

    @Option(help: "The configuration file.")
    var config: String

    @Flag(help: "Only check the configuration, print the effective settings, and exit.")
    var checkConfig = false

    func run() async throws {
        let configuration: DaemonConfiguration
        do { configuration = try DaemonConfiguration.load(contentsOf: config) } catch {
            FileHandle.standardError.write(Data("attributiond: \(error)\n".utf8))
            throw ExitCode(78)
        }
        let environment = ProcessInfo.processInfo.environment
        if checkConfig {
            print("configuration \(config) is valid; store folder: \(configuration.storeDirectory(environment: environment))")
            return
        }
        DaemonLogging.bootstrap(identifier: "attributiond", level: configuration.logging.level)
        let logger = Logger(label: "attributiond")
        do {
            try await Daemon.run(configuration: configuration, environment: environment, logger: logger)
        } catch let error as DaemonStartupError {
            logger.critical("\(error)")
            throw ExitCode(1)
        }
    }
}

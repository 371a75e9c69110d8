import AttributionStore
import Foundation
import Indexing
import Logging
import Numerics
import ServiceLifecycle
import Systemd
import UnixSignals

/// The daemon: opens the store, listens on the socket, then runs ingest, queries, probes, Shapley
/// valuation, the socket server and the systemd reporter as one service group until SIGTERM or
/// SIGINT.
///
/// Start-up order matters to systemd: READY=1 is sent only once the store is open and the
/// socket accepts connections, so a client started after the unit is "active" can connect.
/// Shutdown runs in reverse: the reporter sends STOPPING=1, the server stops accepting and
/// answers what is in flight, the valuation thread stops after the coalition it is evaluating
/// (its job stays queued), the query thread drains, and ingest stops last so the job in flight
/// finishes its transaction.
public enum Daemon {
    /// Runs the daemon with `configuration` until a graceful-shutdown signal.
    ///
    /// - Parameter environment: The process environment (STATE_DIRECTORY decides the default store folder).
    /// - Throws: ``DaemonStartupError`` when the run directory, store or socket is unusable.
    public static func run(configuration: DaemonConfiguration, environment: [String: String], logger: Logger) async throws {
        // Each compute thread (ingest, queries, and valuation at a lower priority) keeps its BLAS
        // calls on itself: two cores, no BLAS threads competing with them.
        BLASThreads.set(1)
        let startedAt = Date()
        let run = try trainingRun(configuration)
        let storeFolder = configuration.storeDirectory(environment: environment)
        let (store, settings) = try openStore(folder: storeFolder, configuration: configuration, logger: logger)

        let queries = QueryService(run: run, store: store, settings: settings, limits: configuration.queryLimits, logger: logger)
        let probes = ProbeMonitor(store: store, queries: queries, limits: configuration.queryLimits, logger: logger)
        let ingest = IngestService(run: run, store: store, settings: settings, policy: configuration.ingestPolicy, logger: logger,
                                   onCheckpointIndexed: { step in probes.checkpointIndexed(step) })
        let valuation = ValuationService(run: run, store: store, settings: settings, configuration: configuration.shapley,
                                         queryDraws: configuration.query.queryDraws, logger: logger)
        let connections = ConnectionCount()
        let router = RequestRouter(
            context: RouterContext(run: run, store: store, settings: settings, limits: configuration.queryLimits, version: daemonVersion,
                                   startedAt: startedAt, storeDirectory: storeFolder, ingestStatus: { ingest.status() },
                                   openConnections: { connections.value }),
            queries: queries, probes: probes, valuation: valuation)
        let server: RPCServer
        do {
            server = try await RPCServer.listen(on: try listeningSocket(configuration, logger: logger), limits: configuration.serverLimits,
                                                handler: router, logger: logger)
        } catch let error as DaemonStartupError {
            throw error
        } catch {
            throw DaemonStartupError.socketUnavailable(reason: "\(error)")
        }
        connections.attach(server)

        let reporter = SystemdReporter(notifier: SystemdNotifier.fromEnvironment(), watchdog: Watchdog.interval(), logger: logger) {
            try StatusLine.describe(ingest: ingest.status(), shapley: valuation.runningRefresh, store: store)
        }
        try reporter.announceReady()
        logger.info("attributiond \(daemonVersion) ready", metadata: [
            "run": "\(run.folder.path)", "store": "\(storeFolder)", "socket": "\(configuration.socket.path)",
        ])

        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [
                .init(service: ingest),
                .init(service: queries),
                .init(service: probes),
                .init(service: valuation),
                .init(service: server),
                .init(service: reporter),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
        logger.info("attributiond stopped")
    }

    private static func trainingRun(_ configuration: DaemonConfiguration) throws(DaemonStartupError) -> TrainingRun {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: configuration.run.directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .runDirectoryMissing(configuration.run.directory)
        }
        return TrainingRun(folder: URL(fileURLWithPath: configuration.run.directory))
    }

    private static func openStore(folder: String, configuration: DaemonConfiguration, logger: Logger) throws(DaemonStartupError)
        -> (AttributionStore, IndexSettings)
    {
        do {
            let opened = try IndexStoreFolder.openOrCreate(URL(fileURLWithPath: folder), settingsForNewStore: configuration.indexSettings)
            if opened.settings.storeFingerprint != configuration.indexSettings.storeFingerprint {
                logger.warning("the store keeps the settings it was built with; the configuration's [store] settings differ and are ignored",
                               metadata: ["store": "\(opened.settings.storeFingerprint)", "configured": "\(configuration.indexSettings.storeFingerprint)"])
            }
            return opened
        } catch {
            throw .storeUnavailable(folder: folder, reason: "\(error)")
        }
    }

    private static func listeningSocket(_ configuration: DaemonConfiguration, logger: Logger) throws -> ListeningSocket {
        if let descriptor = try SocketActivation.takeListeningUnixSocket() {
            logger.info("using the socket passed by systemd", metadata: ["fd": "\(descriptor)"])
            return .adopted(descriptor: descriptor)
        }
        return .path(configuration.socket.path, mode: configuration.socket.mode)
    }
}

import Logging
import ServiceLifecycle
import Systemd

/// Keeps systemd informed: READY=1 once the daemon serves, STATUS= with progress every few
/// seconds, WATCHDOG=1 pings, and STOPPING=1 when graceful shutdown begins.
///
/// The watchdog ping comes from this loop, after it has read the store to build the status
/// line: a daemon whose runtime or store is wedged stops pinging and systemd restarts it.
/// A long indexing job does not stop the pings (it runs on its own thread).
final class SystemdReporter: Service, Sendable {
    private let notifier: SystemdNotifier?
    private let watchdog: Duration?
    private let logger: Logger
    private let status: @Sendable () throws -> String

    /// A reporter to `notifier` (nil when not run by systemd), pinging at half of `watchdog`.
    init(notifier: SystemdNotifier?, watchdog: Duration?, logger: Logger, status: @escaping @Sendable () throws -> String) {
        self.notifier = notifier
        self.watchdog = watchdog
        self.logger = logger
        self.status = status
    }

    /// Sends READY=1 with the first status line.
    func announceReady() throws {
        try notifier?.send([.ready, .status(try status())])
    }

    /// How often status (and the watchdog) is refreshed: every 5 s, or half the watchdog interval if shorter.
    var period: Duration {
        guard let watchdog else { return .seconds(5) }
        return min(.seconds(5), watchdog / 2)
    }

    func run() async throws {
        guard let notifier else {
            // Not under systemd: nothing to report, but stay a member of the group until it stops.
            try? await gracefulShutdown()
            return
        }
        var last = ""
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let line = try status()
                var messages: [NotifyMessage] = line == last ? [] : [.status(line)]
                if watchdog != nil { messages.append(.watchdog) }
                if !messages.isEmpty { try notifier.send(messages) }
                last = line
            } catch {
                logger.warning("could not report status to systemd: \(error)")
            }
            let period = self.period
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: period) }
        }
        do { try notifier.send([.stopping, .status("stopping")]) } catch {
            logger.warning("could not send STOPPING=1: \(error)")
        }
    }
}

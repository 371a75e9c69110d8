import Logging

/// The daemon's choice of log destination, made once at start-up.
public enum DaemonLogging {
    /// Installs the process-wide logging backend: journald (``JournaldLogHandler``) when standard
    /// error is the journal's stream (``JournalStream/isStandardErrorConnected``), otherwise
    /// swift-log's `StreamLogHandler.standardError`. Every logger starts at `level`.
    ///
    /// swift-log allows one bootstrap per process; call this once, before the first logger is
    /// made.
    public static func bootstrap(identifier: String, level: Logger.Level) {
        LoggingSystem.bootstrap(
            handlerFactory(identifier: identifier, level: level, toJournal: JournalStream.isStandardErrorConnected)
        )
    }

    /// The handler factory ``bootstrap(identifier:level:)`` installs, with the destination decided
    /// by `toJournal`.
    static func handlerFactory(identifier: String, level: Logger.Level, toJournal: Bool) -> @Sendable (String) -> any LogHandler {
        { label in
            if toJournal {
                var handler = JournaldLogHandler(label: label, identifier: identifier)
                handler.logLevel = level
                return handler
            }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}

import Logging
import Testing

@testable import Systemd

/// The journal fields built for a log event (what `sd_journal_sendv` receives).
struct JournalEntryTests {
    @Test func fixedFieldsThenMetadataInKeyOrder() {
        let entry = JournalEntry(
            message: "checkpoint indexed\nin 12 s", level: .notice, identifier: "attributiond", label: "ingest",
            metadata: ["step": "2000", "checkpoint.path": "/srv/run/checkpoint-2000"],
            file: "Ingest/IngestService.swift", function: "run()", line: 42
        )
        #expect(
            entry.fields == [
                "MESSAGE=checkpoint indexed\nin 12 s",
                "PRIORITY=5",
                "SYSLOG_IDENTIFIER=attributiond",
                "LOGGER_LABEL=ingest",
                "CODE_FILE=Ingest/IngestService.swift",
                "CODE_LINE=42",
                "CODE_FUNC=run()",
                "CHECKPOINT_PATH=/srv/run/checkpoint-2000",
                "STEP=2000",
            ])
    }

    @Test(arguments: [
        (Logger.Level.trace, Int32(7)), (.debug, 7), (.info, 6), (.notice, 5), (.warning, 4), (.error, 3), (.critical, 2),
    ])
    func prioritiesFollowSyslog(level: Logger.Level, priority: Int32) {
        #expect(JournalEntry.priority(of: level) == priority)
    }

    @Test(arguments: [
        ("step", "STEP"),
        ("Job-Kind", "JOB_KIND"),
        ("error.message", "ERROR_MESSAGE"),
        ("_hidden", "HIDDEN"),
        ("__", "METADATA_"),
        ("", "METADATA_"),
        ("2fa", "METADATA_2FA"),
        ("naïve", "NA_VE"),
        ("message", "METADATA_MESSAGE"),
        ("code_line", "METADATA_CODE_LINE"),
        ("priority", "METADATA_PRIORITY"),
        ("errno", "ERRNO"),
    ])
    func metadataKeysBecomeValidFieldNames(key: String, name: String) {
        #expect(JournalEntry.fieldName(forMetadataKey: key) == name)
    }

    @Test func longKeysAreCutToJournaldsLimit() {
        let name = JournalEntry.fieldName(forMetadataKey: String(repeating: "k", count: 100))
        #expect(name == String(repeating: "K", count: 64))
    }

    /// Values are rendered as swift-log describes them (`StreamLogHandler` prints the same text).
    @Test func structuredMetadataValuesAreRendered() {
        let entry = JournalEntry(
            message: "m", level: .info, identifier: "i", label: "l",
            metadata: ["steps": ["1", "2"], "shard": .stringConvertible(7)], file: "f", function: "g", line: 1
        )
        #expect(entry.fields.suffix(2) == ["SHARD=7", #"STEPS=["1", "2"]"#])
    }

    @Test func streamLineCarriesThePriorityPrefixOnOneLine() {
        #expect(JournalEntry.streamLine(message: "store opened\nat /var/lib", level: .error) == "<3>store opened at /var/lib\n")
    }
}

/// ``JournaldLogHandler`` merges its metadata the way swift-log's handlers do.
struct JournaldLogHandlerTests {
    private struct DiskFull: Error, CustomStringConvertible {
        var description: String { "no space left" }
    }

    @Test func eventMetadataOverridesHandlerMetadataAndErrorsAddFields() {
        var handler = JournaldLogHandler(label: "server", identifier: "attributiond", metadataProvider: nil)
        handler[metadataKey: "connection"] = "7"
        handler[metadataKey: "peer"] = "uid 1000"
        let event = LogEvent(
            level: .warning, message: "write failed", error: DiskFull(), metadata: ["connection": "8"], source: nil,
            file: "Server/Connection.swift", function: "flush()", line: 9
        )
        let fields = handler.entry(for: event).fields
        #expect(fields.contains("CONNECTION=8"))
        #expect(!fields.contains("CONNECTION=7"))
        #expect(fields.contains("PEER=uid 1000"))
        #expect(fields.contains("ERROR_MESSAGE=no space left"))
        #expect(fields.contains { $0.hasPrefix("ERROR_TYPE=") && $0.hasSuffix("DiskFull") })
        #expect(fields.contains("PRIORITY=4"))
        #expect(fields.contains("SYSLOG_IDENTIFIER=attributiond"))
        #expect(fields.contains("LOGGER_LABEL=server"))
    }

    @Test func providerMetadataSitsBetweenHandlerAndEvent() {
        let provider = Logger.MetadataProvider { ["request": "41", "peer": "provided"] }
        var handler = JournaldLogHandler(label: "server", identifier: "attributiond", metadataProvider: provider)
        handler.metadata = ["peer": "handler", "role": "rpc"]
        let event = LogEvent(
            level: .info, message: "answered", metadata: ["request": "42"], source: nil, file: "f", function: "g", line: 1)
        let fields = handler.entry(for: event).fields
        #expect(fields.suffix(3) == ["PEER=provided", "REQUEST=42", "ROLE=rpc"])
    }
}

/// The handler ``DaemonLogging`` installs for each destination.
struct DaemonLoggingTests {
    @Test func journalDestinationGivesJournaldHandlersAtTheLevel() throws {
        let handler = DaemonLogging.handlerFactory(identifier: "attributiond", level: .debug, toJournal: true)("ingest")
        let journald = try #require(handler as? JournaldLogHandler)
        #expect(journald.logLevel == .debug)
        let event = LogEvent(level: .debug, message: "m", metadata: nil, source: nil, file: "f", function: "g", line: 1)
        #expect(journald.entry(for: event).fields.contains("SYSLOG_IDENTIFIER=attributiond"))
        #expect(journald.entry(for: event).fields.contains("LOGGER_LABEL=ingest"))
    }

    @Test func otherwiseStandardErrorStreamHandlersAtTheLevel() throws {
        let handler = DaemonLogging.handlerFactory(identifier: "attributiond", level: .warning, toJournal: false)("ingest")
        let stream = try #require(handler as? StreamLogHandler)
        #expect(stream.logLevel == .warning)
    }
}

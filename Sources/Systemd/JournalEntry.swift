import Logging

#if canImport(Glibc)
import Glibc
#endif

/// The fields of one journal entry, as `NAME=value` strings for `sd_journal_sendv(3)`.
///
/// Kept apart from the sending so that what reaches the journal can be checked without one.
struct JournalEntry: Equatable {
    /// The fields in the order they are sent: the fixed ones, then one per metadata key in key
    /// order.
    var fields: [String]

    /// The fields this handler writes itself; a metadata key that sanitises to one of them gets a
    /// `METADATA_` prefix rather than adding a second value to it.
    static let ownFieldNames: Set<String> = [
        "MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER", "LOGGER_LABEL", "CODE_FILE", "CODE_LINE", "CODE_FUNC",
    ]

    /// journald ignores field names longer than this.
    static let maximumFieldNameLength = 64

    /// The entry for one log event: `MESSAGE`, `PRIORITY` (syslog level), `SYSLOG_IDENTIFIER`,
    /// `LOGGER_LABEL` (the swift-log label), `CODE_FILE`/`CODE_LINE`/`CODE_FUNC`, and one
    /// sanitised field per metadata key. Values may hold newlines: `sd_journal_sendv` sends them
    /// in the journal's binary-safe form.
    init(
        message: String, level: Logger.Level, identifier: String, label: String, metadata: Logger.Metadata,
        file: String, function: String, line: UInt
    ) {
        var fields = [
            "MESSAGE=\(message)",
            "PRIORITY=\(Self.priority(of: level))",
            "SYSLOG_IDENTIFIER=\(identifier)",
            "LOGGER_LABEL=\(label)",
            "CODE_FILE=\(file)",
            "CODE_LINE=\(line)",
            "CODE_FUNC=\(function)",
        ]
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            fields.append("\(Self.fieldName(forMetadataKey: key))=\(value)")
        }
        self.fields = fields
    }

    /// The syslog priority journald stores for `level` (`LOG_DEBUG` … `LOG_CRIT`); swift-log has
    /// no level for `LOG_ALERT` or `LOG_EMERG`, and `trace` shares `LOG_DEBUG` with `debug`.
    static func priority(of level: Logger.Level) -> Int32 {
        switch level {
        case .trace, .debug: LOG_DEBUG
        case .info: LOG_INFO
        case .notice: LOG_NOTICE
        case .warning: LOG_WARNING
        case .error: LOG_ERR
        case .critical: LOG_CRIT
        }
    }

    /// A journal field name for a swift-log metadata key: ASCII letters upper-cased, every other
    /// character but digits and `_` turned into `_`, leading underscores dropped (they mark
    /// fields only journald itself may set), and a `METADATA_` prefix when the name would be
    /// empty, start with a digit, or clash with ``ownFieldNames``. At most 64 characters.
    static func fieldName(forMetadataKey key: String) -> String {
        let mapped = String(
            key.unicodeScalars.map { scalar -> Character in
                switch scalar {
                case "A"..."Z", "0"..."9", "_": Character(scalar)
                case "a"..."z": Character(Unicode.Scalar(scalar.value - 32) ?? "_")
                default: "_"
                }
            }
        )
        var name = String(mapped.drop(while: { $0 == "_" }))
        let startsWithDigit = name.first.map { ("0"..."9").contains($0) } ?? false
        if name.isEmpty || startsWithDigit || ownFieldNames.contains(name) {
            name = "METADATA_" + name
        }
        return String(name.prefix(maximumFieldNameLength))
    }

    /// The line written to standard error when journald refuses an entry: the message with a
    /// `<priority>` prefix, which journald's stream reader turns back into the priority.
    static func streamLine(message: String, level: Logger.Level) -> String {
        "<\(priority(of: level))>" + message.replacing("\n", with: " ") + "\n"
    }
}

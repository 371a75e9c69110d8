import CSystemd
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// A swift-log handler that writes structured entries to journald with `sd_journal_sendv(3)`.
///
/// Each entry carries `MESSAGE`, `PRIORITY`, `SYSLOG_IDENTIFIER`, `LOGGER_LABEL`, the source
/// location (`CODE_FILE`, `CODE_LINE`, `CODE_FUNC`) and one upper-case field per metadata key, so
/// `journalctl -u attributiond CHECKPOINT=2000` finds what a checkpoint logged. When the journal
/// socket refuses an entry (journald restarting, say), the message goes to standard error with a
/// `<priority>` prefix instead; that is the journal's stream when this handler is in use. (When
/// the journal socket does not exist at all, libsystemd drops entries without an error.)
public struct JournaldLogHandler: LogHandler {
    /// The least severe level this handler emits.
    public var logLevel: Logger.Level = .info
    /// Metadata attached to every entry of this handler.
    public var metadata: Logger.Metadata = [:]
    /// Contextual metadata added at log time (task-local values, for example).
    public var metadataProvider: Logger.MetadataProvider?

    private let label: String
    private let identifier: String

    /// A handler for the logger `label`, whose entries carry `SYSLOG_IDENTIFIER=identifier`
    /// (by default the executable's name, as journald would pick) and the global metadata
    /// provider.
    public init(
        label: String, identifier: String? = nil,
        metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider
    ) {
        self.label = label
        self.identifier = identifier ?? Self.executableName
        self.metadataProvider = metadataProvider
    }

    /// A metadata value attached to every entry of this handler.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Sends `event` to journald, or to standard error when journald refuses it.
    public func log(event: LogEvent) {
        if Self.send(entry(for: event)) != 0 {
            let line = JournalEntry.streamLine(message: event.message.description, level: event.level)
            _ = line.utf8CString.withUnsafeBufferPointer { bytes in write(STDERR_FILENO, bytes.baseAddress, bytes.count - 1) }
        }
    }

    /// The journal entry for `event`, with this handler's identifier, label and metadata.
    func entry(for event: LogEvent) -> JournalEntry {
        JournalEntry(
            message: event.message.description, level: event.level, identifier: identifier, label: label,
            metadata: effectiveMetadata(of: event), file: event.file, function: event.function, line: event.line
        )
    }

    /// The handler's metadata, overridden by the provider's, overridden by the event's; an
    /// attached error adds `error.message` and `error.type` (as swift-log's own handlers do).
    private func effectiveMetadata(of event: LogEvent) -> Logger.Metadata {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }
        if let error = event.error {
            merged["error.message"] = "\(error)"
            merged["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        return merged
    }

    /// Sends the entry's fields as one iovec array over one contiguous buffer; returns
    /// `sd_journal_sendv`'s result (0 or `-errno`).
    private static func send(_ entry: JournalEntry) -> Int32 {
        var bytes: [UInt8] = []
        var ranges: [Range<Int>] = []
        for field in entry.fields {
            let start = bytes.count
            bytes.append(contentsOf: field.utf8)
            ranges.append(start..<bytes.count)
        }
        return bytes.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return -EINVAL }
            let vectors = ranges.map { range in iovec(iov_base: base + range.lowerBound, iov_len: range.count) }
            return vectors.withUnsafeBufferPointer { sd_journal_sendv($0.baseAddress, Int32($0.count)) }
        }
    }

    /// The last path component of the executable's invocation name, as journald derives the
    /// identifier of a process that names none.
    private static var executableName: String {
        guard let invocation = CommandLine.arguments.first, let name = invocation.split(separator: "/").last else {
            return "attributiond"
        }
        return String(name)
    }
}

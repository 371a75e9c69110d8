import SystemPackage

/// Something that changed under a ``DirectoryWatcher``'s root. Paths are absolute.
///
/// Events are hints, not a ledger: the same file may be reported more than once (a directory
/// scanned right after its watch was added can report a file whose close event also arrives), so
/// the consumer must handle each event idempotently, and after ``overflow`` it must rescan.
public enum WatchEvent: Sendable, Hashable {
    /// A file is complete: it was written and closed, or renamed into place, or it was already
    /// inside a directory that just appeared. Symbolic links count as files.
    case fileCompleted(FilePath)
    /// A directory appeared (created, or renamed into place). It is watched from now on, and the
    /// files already inside it — and inside its subdirectories within the depth limit — are
    /// reported right after this event, in name order.
    case directoryAppeared(FilePath)
    /// A file or directory was deleted or moved away; for the watched root itself, the root is
    /// gone (deleted or renamed) and nothing is watched any more.
    case removed(FilePath)
    /// Events were lost (the kernel queue or the stream's buffer overflowed, or a new directory
    /// could not be watched): the consumer must rescan everything.
    case overflow
}

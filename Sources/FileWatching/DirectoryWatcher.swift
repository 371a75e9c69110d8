import Foundation
import SystemPackage

/// Watches a directory tree with inotify on a dedicated thread and delivers what changed as an
/// `AsyncStream` of ``WatchEvent``s.
///
/// The root and its subdirectories down to `maximumDepth` levels (the root's children are level
/// 1) are watched; names for which `isIgnored` is true are neither reported nor descended into.
/// What already exists when the watcher starts is not reported: create the watcher first, then
/// scan the tree, so that nothing falls between the scan and the first event.
///
/// `Sendable` because its stored properties are: the stream (whose single consumer may live on
/// any task) and the stop signal (an atomic flag and a pipe). All mutable state — the inotify
/// descriptor, the watch table, the stream's continuation — belongs to the watcher thread alone,
/// which received it by value when it started; the thread holds no reference to the watcher, so
/// dropping the last reference runs `deinit`, which stops the thread.
public final class DirectoryWatcher: Sendable {
    /// What changed, in the order the kernel reported it. Single consumer. The buffer is bounded
    /// (4096 events by default): when the consumer falls behind, later events are dropped and
    /// one ``WatchEvent/overflow`` is delivered as soon as there is room, so memory stays bounded
    /// whatever the burst. The stream finishes after ``stop()``; ending the iteration (e.g.
    /// cancelling the consuming task) stops the watcher too, and so does releasing the watcher:
    /// keep a reference to it for as long as events are wanted.
    public let events: AsyncStream<WatchEvent>
    private let stopSignal: StopSignal

    /// Starts watching `root` (made absolute against the working directory if relative; a
    /// symbolic link to a directory is followed, and events carry paths under `root` as given).
    ///
    /// - Parameters:
    ///   - root: The directory to watch.
    ///   - maximumDepth: The deepest level of subdirectories watched (0 = the root alone).
    ///   - isIgnored: Whether an entry name is skipped; called on the watcher thread.
    /// - Throws: ``FileWatchingError`` when the root is missing or not a directory, or a
    ///   directory of the tree cannot be watched or listed (e.g. the inotify watch limit).
    public convenience init(
        root: FilePath, maximumDepth: Int = 3, isIgnored: @escaping @Sendable (String) -> Bool = DirectoryWatcher.isTemporaryName
    ) throws(FileWatchingError) {
        try self.init(root: root, maximumDepth: maximumDepth, isIgnored: isIgnored, bufferLimit: 4096)
    }

    /// Starts watching, buffering at most `bufferLimit` undelivered events.
    init(
        root: FilePath, maximumDepth: Int, isIgnored: @escaping @Sendable (String) -> Bool, bufferLimit: Int
    ) throws(FileWatchingError) {
        precondition(maximumDepth >= 0, "maximumDepth must not be negative")
        precondition(bufferLimit > 0, "bufferLimit must be positive")
        let (stream, continuation) = AsyncStream.makeStream(of: WatchEvent.self, bufferingPolicy: .bufferingOldest(bufferLimit))
        let stopSignal = try StopSignal()
        let session = try WatchSession.start(
            root: Self.absolute(root), maximumDepth: maximumDepth, isIgnored: isIgnored,
            sink: EventSink(continuation: continuation), stopSignal: stopSignal)
        continuation.onTermination = { _ in stopSignal.request() }
        let thread = Thread {
            var threadSession = session
            threadSession.run()
        }
        thread.name = "DirectoryWatcher"
        thread.start()
        self.events = stream
        self.stopSignal = stopSignal
    }

    deinit {
        stop()
    }

    /// Stops watching: wakes the thread, which closes the inotify descriptor and then finishes
    /// ``events``. Returns at once; idempotent.
    public func stop() {
        stopSignal.request()
    }

    /// Whether `name` is a temporary or hidden name, which writers use before renaming a file or
    /// folder into place: a leading `.`, or a `.tmp`, `.part`, `.partial`, `~` or `.swp` ending.
    public static func isTemporaryName(_ name: String) -> Bool {
        name.hasPrefix(".") || temporarySuffixes.contains { name.hasSuffix($0) }
    }

    private static let temporarySuffixes = [".tmp", ".part", ".partial", "~", ".swp"]

    /// `path` made absolute against the working directory, and lexically normalised.
    private static func absolute(_ path: FilePath) -> FilePath {
        guard !path.isAbsolute else { return path.lexicallyNormalized() }
        return FilePath(FileManager.default.currentDirectoryPath).pushing(path).lexicallyNormalized()
    }
}

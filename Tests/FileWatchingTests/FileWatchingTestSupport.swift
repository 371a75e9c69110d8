import FileWatching
import Foundation
import Glibc
import Synchronization
import SystemPackage
import Testing

/// A fresh directory under the system's temporary directory, deleted with everything in it when
/// the value goes away, with helpers that write the way real writers do (plain syscalls).
final class TemporaryTree {
    let root: FilePath
    private var sentinelCount = 0

    init() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("file-watching-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        root = FilePath(url.path)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root.string)
    }

    /// The absolute path of `relative` under the root.
    func path(_ relative: String) -> FilePath {
        root.pushing(FilePath(relative))
    }

    /// Creates (or truncates) the file, writes `contents` and closes it: one `IN_CLOSE_WRITE`.
    @discardableResult
    func write(_ relative: String, _ contents: String = "x") throws -> FilePath {
        let file = path(relative)
        let descriptor = try FileDescriptor.open(file, .writeOnly, options: [.create, .truncate], permissions: [.ownerReadWrite])
        try descriptor.closeAfter { _ = try descriptor.writeAll(Array(contents.utf8)) }
        return file
    }

    /// Creates a directory (not its parents).
    @discardableResult
    func makeDirectory(_ relative: String) throws -> FilePath {
        let directory = path(relative)
        guard directory.withPlatformString({ mkdir($0, 0o755) }) == 0 else { throw Errno(rawValue: errno) }
        return directory
    }

    /// Renames with rename(2), as atomic writers do.
    @discardableResult
    func rename(_ from: String, to: String) throws -> FilePath {
        let destination = path(to)
        let result = path(from).withPlatformString { source in destination.withPlatformString { Glibc.rename(source, $0) } }
        guard result == 0 else { throw Errno(rawValue: errno) }
        return destination
    }

    /// Deletes a file or a whole directory tree.
    func remove(_ relative: String) throws {
        try FileManager.default.removeItem(atPath: path(relative).string)
    }

    /// Writes a new file in the root. Events from one inotify instance arrive in order, so once
    /// its `.fileCompleted` arrives, everything caused before it has arrived too.
    func writeSentinel() throws -> FilePath {
        sentinelCount += 1
        return try write("sentinel-\(sentinelCount)")
    }
}

/// Consumes a watcher's stream on a task and records what arrives; waits poll with a deadline,
/// so a test that does not get the event it wants fails instead of hanging.
///
/// One recorder per stream: an `AsyncStream` ends when its iterator goes away, so the stream is
/// iterated by this recorder's task only, from start to end.
final class EventRecorder: Sendable {
    private final class Log: Sendable {
        let state = Mutex<(events: [WatchEvent], finished: Bool)>(([], false))
    }

    private let log: Log
    private let taken = Mutex(0)
    private let paused: Paused
    private let consumer: Task<Void, Never>

    private final class Paused: Sendable {
        let flag: Mutex<Bool>
        init(_ paused: Bool) { flag = Mutex(paused) }
    }

    /// Starts consuming `stream` now, or — when `paused` — once ``resume()`` is called, so that
    /// a test can let the stream's buffer fill up.
    init(_ stream: AsyncStream<WatchEvent>, paused: Bool = false) {
        let log = Log()
        let paused = Paused(paused)
        self.log = log
        self.paused = paused
        consumer = Task {
            while paused.flag.withLock({ $0 }), !Task.isCancelled { try? await Task.sleep(for: .milliseconds(5)) }
            for await event in stream { log.state.withLock { $0.events.append(event) } }
            log.state.withLock { $0.finished = true }
        }
    }

    deinit {
        consumer.cancel()
    }

    /// Starts consuming a recorder created paused.
    func resume() {
        paused.flag.withLock { $0 = false }
    }

    /// Everything received so far.
    var events: [WatchEvent] { log.state.withLock { $0.events } }

    /// Whether the stream has finished.
    var isFinished: Bool { log.state.withLock { $0.finished } }

    /// Waits until `condition` holds for everything received so far; `nil` after `timeout`.
    func wait(
        timeout: Duration = .seconds(5), until condition: ([WatchEvent], _ finished: Bool) -> Bool
    ) async -> [WatchEvent]? {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            let (events, finished) = log.state.withLock { ($0.events, $0.finished) }
            if condition(events, finished) { return events }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return nil
    }

    /// The events received after the last call's marker and before the first `marker` after it
    /// (excluded); `nil` if `marker` does not arrive within `timeout`.
    func take(until marker: WatchEvent, timeout: Duration = .seconds(5)) async -> [WatchEvent]? {
        let start = taken.withLock { $0 }
        guard let events = await wait(timeout: timeout, until: { events, _ in events.dropFirst(start).contains(marker) }) else {
            return nil
        }
        let rest = events.dropFirst(start)
        guard let end = rest.firstIndex(of: marker) else { return nil }
        taken.withLock { $0 = end + 1 }
        return Array(rest[..<end])
    }
}

import SystemPackage

/// The watcher thread's state: the inotify instance, which directory each watch descriptor
/// stands for, and the sink events go to.
///
/// Set up on the caller's thread (so that set-up errors are thrown by the watcher's
/// initialiser), then handed over to the watcher thread, which is from then on its only user.
/// All its stored properties are `Sendable`, so the hand-over is checked by the compiler.
struct WatchSession: Sendable {
    /// A watched directory.
    struct WatchedDirectory: Sendable {
        /// The directory's absolute path.
        let path: FilePath
        /// 0 for the root, 1 for its subdirectories, and so on.
        let depth: Int
    }

    /// The watched root (absolute, normalised).
    let root: FilePath
    /// The deepest directory level watched; directories below are neither watched nor reported.
    let maximumDepth: Int
    /// Whether an entry name is skipped (never reported, never descended into).
    let isIgnored: @Sendable (String) -> Bool
    /// The inotify instance.
    let inotify: InotifyInstance
    /// Polled with the inotify descriptor; also checked between the entries of long scans.
    let stopSignal: StopSignal
    /// Where events go.
    var sink: EventSink
    /// The directory each live watch descriptor stands for.
    private(set) var directories: [Int32: WatchedDirectory] = [:]

    /// Creates an inotify instance and watches `root` and its subdirectories (within
    /// `maximumDepth`, skipping ignored names). Nothing is reported for what already exists.
    static func start(
        root: FilePath, maximumDepth: Int, isIgnored: @escaping @Sendable (String) -> Bool,
        sink: EventSink, stopSignal: StopSignal
    ) throws(FileWatchingError) -> WatchSession {
        let inotify = try InotifyInstance.create()
        var session = WatchSession(
            root: root, maximumDepth: maximumDepth, isIgnored: isIgnored, inotify: inotify, stopSignal: stopSignal, sink: sink)
        do {
            try session.watchTree(root, depth: 0, reporting: false)
        } catch {
            inotify.close()
            throw error
        }
        return session
    }

    /// Watches the directory at `path` (at `depth`) and, recursively, its subdirectories within
    /// the depth limit. When `reporting`, emits ``WatchEvent/directoryAppeared(_:)`` for each
    /// directory, followed by ``WatchEvent/fileCompleted(_:)`` for each file in it, in name order.
    ///
    /// The directory is listed *after* its watch is added: a file created in between is seen by
    /// the listing, and one created after is seen by the watch (possibly both: duplicates are
    /// allowed). A subdirectory that vanished meanwhile is skipped silently.
    mutating func watchTree(_ path: FilePath, depth: Int, reporting: Bool) throws(FileWatchingError) {
        switch inotify.addWatch(path, followingSymbolicLink: depth == 0) {
        case .success(let watch):
            directories[watch] = WatchedDirectory(path: path, depth: depth)
        case .failure(let error):
            if depth > 0, error == .noSuchFileOrDirectory || error == .notDirectory { return }
            throw Self.watchError(path: path, errno: error, isRoot: depth == 0)
        }
        if reporting { sink.send(.directoryAppeared(path)) }
        let entries: [DirectoryEntry]
        switch listDirectory(path) {
        case .success(let listed): entries = listed
        case .failure(let error) where error == .noSuchFileOrDirectory || error == .notDirectory: return
        case .failure(let error): throw .cannotList(path, error)
        }
        for entry in entries where !isIgnored(entry.name.string) {
            if stopSignal.isRequested { return }
            let child = path.appending(entry.name)
            switch entry.kind {
            case .directory where depth < maximumDepth: try watchTree(child, depth: depth + 1, reporting: reporting)
            case .file where reporting: sink.send(.fileCompleted(child))
            case .directory, .file, .other: continue
            }
        }
    }

    /// Stops watching `path` and every directory below it (they were deleted or moved away, so
    /// their recorded paths are no longer true).
    mutating func forgetTree(_ path: FilePath) {
        for (watch, directory) in directories where directory.path.starts(with: path) {
            inotify.removeWatch(watch)
            directories[watch] = nil
        }
    }

    /// Drops a watch the kernel already removed (its directory was deleted or unmounted).
    mutating func forgetWatch(_ watch: Int32) {
        directories[watch] = nil
    }

    /// Stops watching everything (the root itself was moved away).
    mutating func forgetAll() {
        for watch in directories.keys { inotify.removeWatch(watch) }
        directories = [:]
    }

    /// Rebuilds the watch table from the disk after the kernel lost events: directories created
    /// meanwhile get watches, and watches of directories that went away are dropped. Reports
    /// nothing: the `.overflow` already sent makes the consumer rescan.
    mutating func rebuildWatches() {
        let previous = directories
        directories = [:]
        do {
            try watchTree(root, depth: 0, reporting: false)
        } catch {
            // The root or part of the tree cannot be watched any more; the consumer's rescan,
            // already requested, is all that can be done.
        }
        for watch in previous.keys where directories[watch] == nil {
            inotify.removeWatch(watch)
        }
    }

    /// The error for a failed `inotify_add_watch` of `path`.
    private static func watchError(path: FilePath, errno: Errno, isRoot: Bool) -> FileWatchingError {
        switch errno {
        case .noSuchFileOrDirectory where isRoot: .rootMissing(path)
        case .notDirectory where isRoot: .notADirectory(path)
        case .noSpace: .tooManyWatches(path)
        default: .cannotWatch(path, errno)
        }
    }
}

import SystemPackage

/// Why a directory tree cannot be watched. Each case names the path at fault and, where the
/// kernel gave one, the `errno` it reported.
public enum FileWatchingError: Error, CustomStringConvertible {
    /// The directory to watch does not exist.
    case rootMissing(FilePath)
    /// The path to watch exists but is not a directory.
    case notADirectory(FilePath)
    /// The per-user inotify watch limit is reached (`ENOSPC` from `inotify_add_watch`).
    case tooManyWatches(FilePath)
    /// The per-user limit of inotify instances is reached (`EMFILE` from `inotify_init1`).
    case tooManyInstances
    /// `inotify_init1` failed for another reason.
    case cannotCreateInotify(Errno)
    /// `inotify_add_watch` refused a directory (e.g. permission denied).
    case cannotWatch(FilePath, Errno)
    /// A watched directory could not be listed.
    case cannotList(FilePath, Errno)
    /// The pipe that wakes the watcher thread could not be created.
    case cannotCreateWakeUpPipe(Errno)

    /// The failure and its cause, with the setting to raise for the limits.
    public var description: String {
        switch self {
        case .rootMissing(let path): "cannot watch \(path): the directory does not exist"
        case .notADirectory(let path): "cannot watch \(path): not a directory"
        case .tooManyWatches(let path):
            "cannot watch \(path): the per-user inotify watch limit is reached; raise fs.inotify.max_user_watches (sysctl)"
        case .tooManyInstances:
            "cannot create an inotify instance: the per-user limit is reached; raise fs.inotify.max_user_instances (sysctl)"
        case .cannotCreateInotify(let errno): "cannot create an inotify instance: \(errno) (errno \(errno.rawValue))"
        case .cannotWatch(let path, let errno): "cannot watch \(path): \(errno) (errno \(errno.rawValue))"
        case .cannotList(let path, let errno): "cannot list \(path): \(errno) (errno \(errno.rawValue))"
        case .cannotCreateWakeUpPipe(let errno): "cannot create the watcher's wake-up pipe: \(errno) (errno \(errno.rawValue))"
        }
    }
}

import Glibc
import SystemPackage

/// An inotify descriptor (non-blocking, close-on-exec). Its owner closes it exactly once with
/// ``close()``: the watcher thread when it exits, or the set-up code when set-up fails.
struct InotifyInstance: Sendable {
    /// The descriptor to poll and read.
    let descriptor: FileDescriptor

    /// Creates a new inotify instance.
    static func create() throws(FileWatchingError) -> InotifyInstance {
        let raw = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard raw >= 0 else {
            let error = Errno(rawValue: errno)
            throw error == .tooManyOpenFiles ? .tooManyInstances : .cannotCreateInotify(error)
        }
        return InotifyInstance(descriptor: FileDescriptor(rawValue: raw))
    }

    /// Watches the directory at `path` for ``InotifyMask/watchedDirectory``; watching a directory
    /// already watched returns its existing watch descriptor.
    ///
    /// A symbolic link at `path` is followed only when `followingSymbolicLink` (for the root,
    /// which users often point at through a link); below the root a link is an entry, not a
    /// directory to watch, even if a directory was just replaced by one.
    func addWatch(_ path: FilePath, followingSymbolicLink: Bool) -> Result<Int32, Errno> {
        let mask = followingSymbolicLink ? InotifyMask.watchedDirectory.subtracting(.dontFollow) : InotifyMask.watchedDirectory
        let watch = path.withPlatformString { inotify_add_watch(descriptor.rawValue, $0, mask.rawValue) }
        return watch >= 0 ? .success(watch) : .failure(Errno(rawValue: errno))
    }

    /// Removes a watch. A watch the kernel already dropped (its directory is gone) makes the call
    /// fail with `EINVAL`, which is the outcome wanted anyway.
    func removeWatch(_ watch: Int32) {
        _ = inotify_rm_watch(descriptor.rawValue, watch)
    }

    /// Closes the descriptor (which removes every watch).
    func close() {
        // close(2) releases the descriptor even when it reports an error; there is nothing to retry.
        try? descriptor.close()
    }
}

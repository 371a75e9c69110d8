import SystemPackage

extension WatchSession {
    /// Turns one inotify record into events, keeping the watch table in step.
    mutating func handle(_ record: InotifyRecord) {
        if record.mask.contains(.queueOverflow) {
            sink.reportOverflow()
            rebuildWatches()
            return
        }
        // Records of a watch already forgotten (its directory was moved or deleted) are stale.
        guard let directory = directories[record.watch] else { return }
        guard let name = record.name else {
            handleDirectoryItself(record.mask, watch: record.watch, directory: directory)
            return
        }
        guard !isIgnored(name.string) else { return }
        let path = directory.path.appending(name)
        if record.mask.contains(.delete) || record.mask.contains(.movedFrom) {
            if record.mask.contains(.isDirectory) { forgetTree(path) }
            sink.send(.removed(path))
        } else if record.mask.contains(.isDirectory) {
            // Created, or renamed into place (then possibly full already).
            guard directory.depth < maximumDepth else { return }
            do {
                try watchTree(path, depth: directory.depth + 1, reporting: true)
            } catch {
                // A directory that cannot be watched is a lost watch: only a rescan sees its files.
                sink.reportOverflow()
            }
        } else if record.mask.contains(.closeWrite) || record.mask.contains(.movedTo) {
            sink.send(.fileCompleted(path))
        } else if record.mask.contains(.create), isSymbolicLink(path) {
            // A symbolic link is complete once created; it never gets a close event.
            sink.send(.fileCompleted(path))
        }
    }

    /// Handles an event about a watched directory itself.
    ///
    /// A subdirectory's deletion or move is reported once, from its parent's `IN_DELETE` or
    /// `IN_MOVED_FROM`; here its watch is only dropped. The root has no watched parent, so its
    /// own events report it.
    private mutating func handleDirectoryItself(_ mask: InotifyMask, watch: Int32, directory: WatchedDirectory) {
        let isRoot = directory.depth == 0
        if mask.contains(.unmount) {
            // The directory now shows what lies under the mount point; the `IN_IGNORED` that
            // follows drops the watch.
            sink.reportOverflow()
        } else if mask.contains(.deleteSelf) || mask.contains(.ignored) {
            forgetWatch(watch)
            if isRoot { sink.send(.removed(root)) }
        } else if mask.contains(.moveSelf), isRoot {
            // Every recorded path starts with the old root: none is true any more.
            forgetAll()
            sink.send(.removed(root))
        }
    }
}

import AttributionStore
import FileWatching
import Foundation
import Indexing
import LMDB
import Logging
import SystemPackage

extension IngestService {
    /// Turns every file event under the run folder into a rescan request (events are only
    /// hints: the periodic reconcile finds everything without them) until cancelled. A file
    /// reported complete is noted as settled first, so that the reconcile reads it at once; after
    /// lost events the notes are dropped, and files settle by their quiet period instead. A
    /// watcher that cannot start, or whose folder goes away, is tried again every rescan interval.
    func watchRunFolder() async {
        let root = FilePath(run.folder.path).lexicallyNormalized()
        let ignored = ignoredNames()
        var lastFailure: String?
        while !Task.isCancelled {
            do {
                let watcher = try DirectoryWatcher(root: root, maximumDepth: 3, isIgnored: ignored)
                lastFailure = nil
                requestRescan()  // what arrived before the watch started
                for await event in watcher.events {
                    switch event {
                    case .fileCompleted(let path): settling.noteCompleted(path.string)
                    case .overflow: settling.forgetCompletions()
                    case .directoryAppeared, .removed: break
                    }
                    requestRescan()
                    if case .removed(let path) = event, path == root { break }
                }
                watcher.stop()
            } catch {
                if "\(error)" != lastFailure { recordError(source: "watcher", "\(error)", level: .warning) }
                lastFailure = "\(error)"
            }
            try? await Task.sleep(for: policy.rescanInterval)
        }
    }

    /// Names the watcher skips: temporary and hidden names (files are renamed into place from
    /// them), and the store's folder when it lives in the run folder (its writes are ours).
    private func ignoredNames() -> @Sendable (String) -> Bool {
        let storeFolder = URL(fileURLWithPath: store.environment.path).standardizedFileURL
        let storeName = storeFolder.deletingLastPathComponent().path == run.folder.standardizedFileURL.path
            ? storeFolder.lastPathComponent : nil
        return { name in DirectoryWatcher.isTemporaryName(name) || name == storeName }
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few POSIX operations that make a folder appear on disk whole or not at all: flushing
/// every file and folder of a tree, and renaming.
enum DurableFiles {
    /// Writes `data` to a new file at `url` (inside a folder that is not visible yet).
    static func write(_ data: Data, to url: URL) throws(CheckpointError) {
        do {
            try data.write(to: url, options: .withoutOverwriting)
        } catch {
            throw .io(operation: "write", path: url.path, reason: error.localizedDescription)
        }
    }

    /// Flushes every regular file and every folder below and including `root` to stable storage.
    static func syncTree(_ root: URL) throws(CheckpointError) {
        let keys: [URLResourceKey] = [.isDirectoryKey, .isRegularFileKey]
        var paths = [root.path]
        if let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: keys) {
            for case let url as URL in walker { paths.append(url.path) }
        }
        for path in paths { try sync(path) }
    }

    /// Flushes the file or folder at `path`.
    static func sync(_ path: String) throws(CheckpointError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("open", path) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw failure("flush", path) }
    }

    /// Renames `source` to `destination`, refusing to replace an existing folder.
    static func rename(_ source: URL, to destination: URL) throws(CheckpointError) {
        guard !FileManager.default.fileExists(atPath: destination.path) else { throw .alreadyExists(path: destination.path) }
        #if canImport(Glibc)
        let result = Glibc.rename(source.path, destination.path)
        #else
        let result = Darwin.rename(source.path, destination.path)
        #endif
        guard result == 0 else { throw failure("rename to", destination.path) }
    }

    /// Removes a file or folder tree if it exists.
    static func remove(_ url: URL) throws(CheckpointError) {
        guard FileManager.default.fileExists(atPath: url.path) else { return }
        do {
            try FileManager.default.removeItem(at: url)
        } catch {
            throw .io(operation: "remove", path: url.path, reason: error.localizedDescription)
        }
    }

    private static func failure(_ operation: String, _ path: String) -> CheckpointError {
        .io(operation: operation, path: path, reason: String(cString: strerror(errno)))
    }
}

import Glibc
import SystemPackage

/// One entry of a directory, as far as the watcher cares.
struct DirectoryEntry {
    /// What the watcher does with an entry.
    enum Kind {
        /// Watched (within the depth limit) and scanned.
        case directory
        /// Reported as complete: a regular file or a symbolic link.
        case file
        /// Ignored: sockets, pipes, devices.
        case other
    }

    /// The entry's name.
    let name: FilePath.Component
    /// The entry's kind, from `d_type` or, when the filesystem does not fill it, `lstat`.
    let kind: Kind
    /// The name's bytes, for a deterministic (byte-wise) order.
    let sortKey: [UInt8]
}

extension DirectoryEntry.Kind {
    /// The kind of an `st_mode`.
    init(mode: mode_t) {
        switch mode & S_IFMT {
        case S_IFDIR: self = .directory
        case S_IFREG, S_IFLNK: self = .file
        default: self = .other
        }
    }

    /// The kind of the entry at `path`, without following a final symbolic link; `nil` when it
    /// no longer exists.
    init?(of path: FilePath) {
        var status = stat()
        guard path.withPlatformString({ lstat($0, &status) }) == 0 else { return nil }
        self.init(mode: status.st_mode)
    }
}

/// The entries of the directory at `path` (without `.` and `..`), sorted by name bytes so that
/// scans report in a deterministic order.
func listDirectory(_ path: FilePath) -> Result<[DirectoryEntry], Errno> {
    guard let stream = path.withPlatformString({ opendir($0) }) else { return .failure(Errno(rawValue: errno)) }
    defer { closedir(stream) }
    var entries: [DirectoryEntry] = []
    while true {
        errno = 0
        guard let entry = readdir(stream) else {
            if errno != 0 { return .failure(Errno(rawValue: errno)) }
            break
        }
        let nameBytes = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
        guard let name = nameBytes.withUnsafeBytes({ FilePath.Component(entryName: $0) }) else { continue }
        let kind: DirectoryEntry.Kind?
        switch Int32(entry.pointee.d_type) {
        case Int32(DT_DIR): kind = .directory
        case Int32(DT_REG), Int32(DT_LNK): kind = .file
        case Int32(DT_UNKNOWN): kind = DirectoryEntry.Kind(of: path.appending(name))
        default: kind = .other
        }
        guard let kind else { continue }  // Deleted since readdir returned it.
        entries.append(DirectoryEntry(name: name, kind: kind, sortKey: nameBytes))
    }
    entries.sort { $0.sortKey.lexicographicallyPrecedes($1.sortKey) }
    return .success(entries)
}

/// Whether `path` is a symbolic link (not followed).
func isSymbolicLink(_ path: FilePath) -> Bool {
    var status = stat()
    guard path.withPlatformString({ lstat($0, &status) }) == 0 else { return false }
    return status.st_mode & S_IFMT == S_IFLNK
}

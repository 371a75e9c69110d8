import AttributionProtocol
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Decides which sample files a request may make the daemon read: only regular files that,
/// with every symbolic link and `..` resolved, lie inside one of the configured directories.
///
/// A path that does not resolve is refused as "not allowed" unless its lexical form already lies
/// inside an allowed directory, so a client cannot probe for files elsewhere. The file is then
/// read through its resolved path.
struct SamplePathPolicy: Sendable {
    /// The directories files must lie in, as configured.
    let allowedDirectories: [String]
    /// The largest sample file read.
    let maximumFileBytes: Int

    /// The default bound on one sample file: far above any image a model here takes.
    static let defaultMaximumFileBytes = 256 << 20

    /// A policy allowing files under `allowedDirectories`.
    init(allowedDirectories: [String], maximumFileBytes: Int = defaultMaximumFileBytes) {
        self.allowedDirectories = allowedDirectories
        self.maximumFileBytes = maximumFileBytes
    }

    /// The resolved location of `path`, once checked.
    ///
    /// - Throws: `pathNotAllowed` for a relative path or one resolving outside every allowed
    ///   directory, `unreadableFile` for a path inside that does not exist or is not a regular
    ///   file of acceptable size.
    func resolve(_ path: String) throws(JSONRPCError) -> URL {
        guard path.hasPrefix("/"), !path.utf8.contains(0) else {
            throw JSONRPCError(.pathNotAllowed, reason: "\(path): sample paths must be absolute")
        }
        let roots = allowedDirectories.compactMap(Self.realPath)
        guard !roots.isEmpty else {
            throw JSONRPCError(.pathNotAllowed, reason: "\(path): the daemon is configured to read no sample directories")
        }
        guard let resolved = Self.realPath(path) else {
            let failure = errno
            let lexical = URL(fileURLWithPath: path).standardized.path
            guard roots.contains(where: { Self.isInside(lexical, root: $0) }) else { throw notAllowed(path) }
            throw JSONRPCError(.unreadableFile, reason: "\(path): \(String(cString: strerror(failure)))")
        }
        guard roots.contains(where: { Self.isInside(resolved, root: $0) }) else { throw notAllowed(path) }
        var status = stat()
        guard stat(resolved, &status) == 0 else {
            throw JSONRPCError(.unreadableFile, reason: "\(path): \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & S_IFMT == S_IFREG else { throw JSONRPCError(.unreadableFile, reason: "\(path): not a regular file") }
        guard Int(status.st_size) <= maximumFileBytes else {
            throw JSONRPCError(.unreadableFile,
                               reason: "\(path): \(status.st_size) bytes; sample files may have at most \(maximumFileBytes)")
        }
        return URL(fileURLWithPath: resolved)
    }

    private func notAllowed(_ path: String) -> JSONRPCError {
        let allowed = allowedDirectories.joined(separator: ", ")
        return JSONRPCError(.pathNotAllowed, reason: "\(path) is not inside an allowed sample directory (\(allowed))")
    }

    /// `path` with every symbolic link, `.` and `..` resolved; nil when it does not resolve.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Whether resolved `path` is `root` or lies below it.
    static func isInside(_ path: String, root: String) -> Bool {
        if root == "/" { return true }
        return path == root || path.hasPrefix(root + "/")
    }
}

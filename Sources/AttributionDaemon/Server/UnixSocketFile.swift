import Glibc

/// The filesystem side of a Unix socket, which NIO leaves to us: checking what is at the path
/// before binding, and setting the mode after (NIO binds with the process umask and has no mode
/// option; `fchmod` on the descriptor does not change the path's mode on Linux, `chmod` does).
enum UnixSocketFile {
    /// `sun_path` holds 108 bytes including the terminating NUL.
    static let maxPathBytes = MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1

    /// Makes `path` free for binding: nothing there, or a stale socket (one nobody listens on),
    /// which is removed. Anything else is left alone and reported.
    static func clearForBinding(_ path: String) throws(RPCServerError) {
        let bytes = path.utf8.count
        guard bytes > 0 else { throw .socketPathUnusable(path: path, reason: "the path is empty") }
        guard bytes <= maxPathBytes else { throw .socketPathTooLong(path: path, bytes: bytes, limit: maxPathBytes) }
        var status = stat()
        guard lstat(path, &status) == 0 else {
            let error = errno
            if error == ENOENT { return }
            throw .socketPathUnusable(path: path, reason: describe(errno: error))
        }
        let kind = status.st_mode & S_IFMT
        guard kind == S_IFSOCK else { throw .socketPathOccupied(path: path, kind: describe(fileType: kind)) }
        switch probeListener(at: path) {
        case .listening:
            throw .addressInUse(path: path)
        case .refused:
            guard unlink(path) == 0 || errno == ENOENT else {
                throw .socketPathUnusable(path: path, reason: "cannot remove the stale socket: \(describe(errno: errno))")
            }
        case .failed(let error):
            throw .socketPathUnusable(path: path, reason: "cannot tell whether the existing socket is in use: \(describe(errno: error))")
        }
    }

    /// Sets the permission bits of the socket at `path` (who may connect).
    static func setMode(_ mode: UInt16, at path: String) throws(RPCServerError) {
        guard chmod(path, mode_t(mode)) == 0 else {
            throw .modeNotApplied(path: path, mode: mode, reason: describe(errno: errno))
        }
    }

    /// Checks that `descriptor` is a Unix stream socket, as socket activation must pass.
    static func validateAdopted(_ descriptor: CInt) throws(RPCServerError) {
        func option(_ name: CInt) throws(RPCServerError) -> CInt {
            var value: CInt = 0
            var length = socklen_t(MemoryLayout<CInt>.size)
            guard getsockopt(descriptor, SOL_SOCKET, name, &value, &length) == 0 else {
                throw .adoptedDescriptorUnusable(descriptor: descriptor, reason: describe(errno: errno))
            }
            return value
        }
        guard try option(SO_DOMAIN) == AF_UNIX else {
            throw .adoptedDescriptorUnusable(descriptor: descriptor, reason: "not a Unix domain socket")
        }
        guard try option(SO_TYPE) == streamSocketType else {
            throw .adoptedDescriptorUnusable(descriptor: descriptor, reason: "not a stream socket")
        }
    }

    private enum ProbeResult { case listening, refused, failed(CInt) }

    /// Connects to the socket at `path` without blocking: a refusal means nobody listens.
    private static func probeListener(at path: String) -> ProbeResult {
        let probe = socket(AF_UNIX, streamSocketType | CInt(SOCK_NONBLOCK.rawValue) | CInt(SOCK_CLOEXEC.rawValue), 0)
        guard probe >= 0 else { return .failed(errno) }
        defer { close(probe) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { target in
            for (index, byte) in path.utf8.enumerated() { target[index] = byte }
        }
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(probe, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if result == 0 { return .listening }
        switch errno {
        case EAGAIN, EINPROGRESS: return .listening  // a full backlog: someone listens
        case ECONNREFUSED: return .refused
        case let error: return .failed(error)
        }
    }

    private static let streamSocketType = CInt(SOCK_STREAM.rawValue)

    private static func describe(fileType: mode_t) -> String {
        switch fileType {
        case S_IFREG: "regular file"
        case S_IFDIR: "directory"
        case S_IFLNK: "symbolic link"
        case S_IFIFO: "named pipe"
        case S_IFCHR, S_IFBLK: "device"
        default: "file of unknown type"
        }
    }

    static func describe(errno error: CInt) -> String {
        String(cString: strerror(error))
    }
}

import Glibc
import SystemPackage

/// What went wrong below the protocol; the client adds which call it was.
enum SocketFailure: Error {
    /// The deadline passed first.
    case timedOut
    /// The peer closed (or reset) the connection; `receivedBytes` of a line had arrived.
    case closed(receivedBytes: Int)
    /// A system call failed.
    case system(operation: String, errno: Errno)
    /// More than the allowed bytes arrived without a newline.
    case lineTooLong
}

/// A connected `AF_UNIX` stream socket: sends bounded by a deadline and `\n`-framed reads.
///
/// The descriptor stays in blocking mode; each `send`/`recv` passes `MSG_DONTWAIT` and waits in
/// `poll` for the time left, so a stalled daemon can never block a call past its deadline.
/// `MSG_NOSIGNAL` turns a write to a closed peer into `EPIPE` instead of a process-killing SIGPIPE.
final class UnixSocketConnection {
    private let descriptor: FileDescriptor
    private var received = LineBuffer()
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)
    private var isOpen = true

    private init(descriptor: FileDescriptor) {
        self.descriptor = descriptor
    }

    deinit { close() }

    /// Connects to the socket at `path`; a listener whose backlog stays full past `timeout`
    /// makes this throw `timedOut`.
    static func connect(path: String, timeout: Duration) throws(ClientError) -> UnixSocketConnection {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        guard !pathBytes.isEmpty, !pathBytes.contains(0), pathBytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw .cannotConnect(path: path, errno: ENAMETOOLONG)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: pathBytes) }

        let raw = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard raw >= 0 else { throw .cannotConnect(path: path, errno: errno) }
        let connection = UnixSocketConnection(descriptor: FileDescriptor(rawValue: raw))
        // A blocking connect to a Unix socket waits while the listener's backlog is full, for
        // at most SO_SNDTIMEO, then fails with EAGAIN.
        let (seconds, attoseconds) = timeout.components
        var limit = timeval(tv_sec: Int(clamping: seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        _ = setsockopt(raw, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        while true {
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(raw, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            if result == 0 { return connection }
            let failure = Errno(rawValue: errno)
            if failure == .interrupted { continue }
            connection.close()
            if failure == .resourceTemporarilyUnavailable { throw .timedOut(method: "connect", after: timeout) }
            throw .cannotConnect(path: path, errno: failure.rawValue)
        }
    }

    /// Sends every byte of `bytes` (not empty) before `deadline`, or stops early when the peer
    /// closed its end (`EPIPE`/`ECONNRESET`): it may still have answered, for example with a
    /// "request too large" error before closing, and the answer waits to be read.
    func send(_ bytes: [UInt8], deadline: SocketDeadline) throws(SocketFailure) {
        guard isOpen else { throw .closed(receivedBytes: 0) }
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { buffer in
                Glibc.send(descriptor.rawValue, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_DONTWAIT | MSG_NOSIGNAL))
            }
            if sent >= 0 {
                offset += sent
                continue
            }
            switch Errno(rawValue: errno) {
            case .interrupted: continue
            case .resourceTemporarilyUnavailable: try wait(for: Int16(POLLOUT), deadline: deadline)
            case .brokenPipe, .connectionReset: return
            case let failure: throw .system(operation: "send", errno: failure)
            }
        }
    }

    /// Reads until a whole line is buffered and returns it without its newline.
    ///
    /// - Parameter limit: the longest line accepted, in bytes.
    func receiveLine(deadline: SocketDeadline, limit: Int) throws(SocketFailure) -> [UInt8] {
        guard isOpen else { throw .closed(receivedBytes: 0) }
        while true {
            if let line = received.takeLine() { return line }
            guard received.count <= limit else { throw .lineTooLong }
            let count = chunk.withUnsafeMutableBytes { buffer in
                let count = recv(descriptor.rawValue, buffer.baseAddress, buffer.count, Int32(MSG_DONTWAIT))
                if count > 0 { received.append(UnsafeRawBufferPointer(rebasing: buffer[..<count])) }
                return count
            }
            if count > 0 { continue }
            if count == 0 { throw .closed(receivedBytes: received.count) }
            switch Errno(rawValue: errno) {
            case .interrupted: continue
            case .resourceTemporarilyUnavailable: try wait(for: Int16(POLLIN), deadline: deadline)
            case .connectionReset: throw .closed(receivedBytes: received.count)
            case let failure: throw .system(operation: "recv", errno: failure)
            }
        }
    }

    /// Closes the socket; later sends and reads throw `closed`.
    func close() {
        guard isOpen else { return }
        isOpen = false
        try? descriptor.close()
    }

    /// Waits until the socket is ready for `events` (or has an error or hang-up, which the next
    /// `send`/`recv` reports), or throws `timedOut` once the deadline passes.
    private func wait(for events: Int16, deadline: SocketDeadline) throws(SocketFailure) {
        while true {
            let milliseconds = deadline.remainingMilliseconds
            guard milliseconds > 0 else { throw .timedOut }
            var request = pollfd(fd: descriptor.rawValue, events: events, revents: 0)
            let ready = poll(&request, 1, milliseconds)
            if ready > 0 { return }
            if ready < 0, Errno(rawValue: errno) != .interrupted {
                throw .system(operation: "poll", errno: Errno(rawValue: errno))
            }
        }
    }
}

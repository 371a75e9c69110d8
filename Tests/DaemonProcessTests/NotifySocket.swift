import Foundation
import Glibc

/// The test's stand-in for the service manager's notification socket: a bound `AF_UNIX`
/// datagram socket whose path goes into the daemon's `NOTIFY_SOCKET`, from which the test
/// reads the `sd_notify` datagrams (`READY=1`, `STATUS=…`, `STOPPING=1`) the daemon sends.
final class NotifySocket {
    /// The socket's path (what `NOTIFY_SOCKET` is set to).
    let path: String
    private let descriptor: Int32

    /// Binds a fresh datagram socket in the temporary folder.
    init() throws {
        path = DaemonSettings.shortSocketPath(suffix: "notify")
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw TestFailure("socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw TestFailure("bind \(path): \(reason)")
        }
    }

    deinit {
        close(descriptor)
        unlink(path)
    }

    /// The next datagram's assignments (`["READY=1", "STATUS=…"]`), or nil if none arrives
    /// within `timeout` seconds.
    func receive(timeout: Double) -> [String]? {
        var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let milliseconds = Int32(max(0, deadline.timeIntervalSinceNow * 1000).rounded(.up))
            let ready = poll(&request, 1, milliseconds)
            if ready > 0 { break }
            if ready == 0 || errno != EINTR { return nil }
        }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count], as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// Reads datagrams until one holds `assignment` (e.g. `READY=1`) and returns every
    /// assignment read up to and including that datagram, in order; nil if it does not come
    /// within `timeout` seconds.
    func receive(until assignment: String, timeout: Double) -> [String]? {
        let deadline = Date().addingTimeInterval(timeout)
        var seen: [String] = []
        while let datagram = receive(timeout: max(0, deadline.timeIntervalSinceNow)) {
            seen += datagram
            if datagram.contains(assignment) { return seen }
        }
        return nil
    }
}

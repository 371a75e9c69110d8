import Foundation
import Glibc

/// A test's raw end of a connection to the daemon's Unix socket: it can send anything (half a
/// line, a megabyte without a newline, garbage), read response lines, and notice when the daemon
/// closes the connection, each bounded by a deadline so a misbehaving daemon fails the test
/// instead of hanging it.
final class LineSocket {
    /// How a wait for the daemon ended.
    enum Failure: Error, CustomStringConvertible {
        case timedOut(String)
        case closed(String)
        case system(String, Int32)

        var description: String {
            switch self {
            case .timedOut(let what): "timed out \(what)"
            case .closed(let what): "the daemon closed the connection \(what)"
            case .system(let call, let error): "\(call) failed: \(String(cString: strerror(error)))"
            }
        }
    }

    private let descriptor: Int32
    private var buffered: [UInt8] = []
    private var isOpen = true

    /// Connects to `path`.
    init(path: String) throws {
        let raw = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard raw >= 0 else { throw Failure.system("socket", errno) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            Glibc.close(raw)
            throw Failure.system("connect", ENAMETOOLONG)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(raw, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else {
            let error = errno
            Glibc.close(raw)
            throw Failure.system("connect to \(path)", error)
        }
        descriptor = raw
    }

    deinit { close() }

    /// Sends `text` followed by a newline.
    func sendLine(_ text: String, timeout: Double = 10) throws {
        _ = try send(Array(text.utf8) + [UInt8(ascii: "\n")], timeout: timeout)
    }

    /// Sends `bytes`; returns false when the daemon closed the connection before taking them all
    /// (it may still have answered first, e.g. "request too large").
    @discardableResult
    func send(_ bytes: [UInt8], timeout: Double = 10) throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { buffer in
                Glibc.send(descriptor, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_DONTWAIT | MSG_NOSIGNAL))
            }
            if sent >= 0 {
                offset += sent
                continue
            }
            switch errno {
            case EINTR: continue
            case EAGAIN: try wait(for: Int16(POLLOUT), until: deadline, "sending")
            case EPIPE, ECONNRESET: return false
            case let error: throw Failure.system("send", error)
            }
        }
        return true
    }

    /// The next response line (without its newline).
    func readLine(timeout: Double = 30) throws -> [UInt8] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let newline = buffered.firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(buffered[..<newline])
                buffered.removeSubrange(...newline)
                return line
            }
            guard try receive(until: deadline, "waiting for a response line") else {
                throw Failure.closed("while a response line was awaited (\(buffered.count) bytes of it received)")
            }
        }
    }

    /// Waits until the daemon closes the connection and returns the complete lines it sent
    /// before (a partial last line is returned too), or throws `timedOut` at the deadline.
    func linesUntilClosed(timeout: Double) throws -> [[UInt8]] {
        let deadline = Date().addingTimeInterval(timeout)
        while try receive(until: deadline, "waiting for the daemon to close the connection") {}
        let lines = buffered.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).map(Array.init)
        buffered.removeAll()
        return lines
    }

    /// Closes this end.
    func close() {
        guard isOpen else { return }
        isOpen = false
        Glibc.close(descriptor)
    }

    /// Reads what has arrived into the buffer; false at end of stream (or a reset).
    private func receive(until deadline: Date, _ what: String) throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count > 0 {
                buffered.append(contentsOf: chunk[..<count])
                return true
            }
            if count == 0 { return false }
            switch errno {
            case EINTR: continue
            case EAGAIN: try wait(for: Int16(POLLIN), until: deadline, what)
            case ECONNRESET: return false
            case let error: throw Failure.system("recv", error)
            }
        }
    }

    private func wait(for events: Int16, until deadline: Date, _ what: String) throws {
        while true {
            let milliseconds = Int32(max(0, deadline.timeIntervalSinceNow * 1000).rounded(.up))
            guard milliseconds > 0 else { throw Failure.timedOut(what) }
            var request = pollfd(fd: descriptor, events: events, revents: 0)
            let ready = poll(&request, 1, milliseconds)
            if ready > 0 { return }
            if ready < 0, errno != EINTR { throw Failure.system("poll", errno) }
        }
    }
}

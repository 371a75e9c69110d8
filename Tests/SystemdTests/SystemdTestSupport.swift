import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Environment tests share one process environment, so every test that sets variables (or reads
/// the whole environment to pass it on) lives in a suite nested in this one, and they run one at a
/// time.
@Suite(.serialized)
struct SystemdEnvironmentTests {}

/// Sets (or, for `nil`, removes) `values` while `body` runs, then puts back what was there.
@discardableResult
func withEnvironment<T>(_ values: [String: String?], _ body: () throws -> T) rethrows -> T {
    let saved = values.keys.map { name in (name, getenv(name).map { String(cString: $0) }) }
    for (name, value) in values { setOrRemove(name, value) }
    defer { for (name, value) in saved { setOrRemove(name, value) } }
    return try body()
}

/// The current value of the environment variable `name`.
func environmentValue(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
}

private func setOrRemove(_ name: String, _ value: String?) {
    if let value { setenv(name, value, 1) } else { unsetenv(name) }
}

/// A socket path in a fresh temporary folder, removed with the folder afterwards.
@discardableResult
func withSocketPath<T>(_ body: (String) throws -> T) throws -> T {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("systemd-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    return try body(folder.appendingPathComponent("s").path)
}

/// A failed system call in a test's own set-up.
struct SystemCallFailure: Error, CustomStringConvertible {
    let call: String
    let code: Int32
    var description: String { "\(call): \(String(cString: strerror(code)))" }
}

/// Returns `result`, or throws with `errno` when it is negative.
@discardableResult
func check(_ result: CInt, _ call: String) throws -> CInt {
    guard result >= 0 else { throw SystemCallFailure(call: call, code: errno) }
    return result
}

/// Runs `body` with a `sockaddr_un` for `address`: a path, or `@name` for the abstract namespace.
func withUnixAddress<T>(_ address: String, _ body: (UnsafePointer<sockaddr>, socklen_t) throws -> T) throws -> T {
    var storage = sockaddr_un()
    storage.sun_family = sa_family_t(AF_UNIX)
    var bytes = Array(address.utf8)
    let abstract = bytes.first == UInt8(ascii: "@")
    if abstract { bytes[0] = 0 }
    let capacity = MemoryLayout.size(ofValue: storage.sun_path)
    guard bytes.count < capacity else { throw SystemCallFailure(call: "sockaddr_un for \(address)", code: ENAMETOOLONG) }
    withUnsafeMutableBytes(of: &storage.sun_path) { path in
        for (index, byte) in bytes.enumerated() { path[index] = byte }
    }
    // An abstract name is exactly its bytes; a path is NUL-terminated.
    let length = MemoryLayout<sa_family_t>.size + bytes.count + (abstract ? 0 : 1)
    return try withUnsafePointer(to: &storage) { pointer in
        try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, socklen_t(length)) }
    }
}

/// A Unix socket of `type` bound to `address`, closed when dropped.
struct BoundSocket: ~Copyable {
    let descriptor: CInt

    init(type: Int32, address: String, listening: Bool) throws {
        let descriptor = try check(socket(AF_UNIX, type | Int32(SOCK_CLOEXEC.rawValue), 0), "socket")
        do {
            try withUnixAddress(address) { pointer, length in _ = try check(bind(descriptor, pointer, length), "bind") }
            if listening { try check(listen(descriptor, 4), "listen") }
            // A receive that never comes fails the test after five seconds instead of hanging it.
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            try check(setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size)), "setsockopt")
        } catch {
            close(descriptor)
            throw error
        }
        self.descriptor = descriptor
    }

    /// The next datagram (or the next bytes of a stream) as text.
    func receiveText() throws -> String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        guard count >= 0 else { throw SystemCallFailure(call: "recv", code: errno) }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }

    deinit { close(descriptor) }
}

/// A connected client of the stream socket at `path`.
func connectedClient(to path: String) throws -> CInt {
    let client = try check(socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0), "socket")
    do {
        try withUnixAddress(path) { pointer, length in _ = try check(connect(client, pointer, length), "connect") }
    } catch {
        close(client)
        throw error
    }
    return client
}

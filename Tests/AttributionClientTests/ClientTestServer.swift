import AttributionProtocol
import Foundation
import Glibc

/// A Unix-socket server on a thread, for testing the client against a real socket: each
/// accepted connection is handed to `handler` on its own thread.
final class ClientTestServer: Sendable {
    let path: String
    private let listener: Int32

    /// Listens on a fresh path in the temporary directory.
    init(handler: @escaping @Sendable (ClientTestConnection) -> Void) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("client-test-\(UUID().uuidString.prefix(8)).sock").path
        listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw ClientTestServerError.system("socket", errno) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, listen(listener, 16) == 0 else { throw ClientTestServerError.system("bind/listen", errno) }
        let listening = listener
        Thread.detachNewThread {
            while true {
                let connection = accept(listening, nil, nil)
                if connection < 0 {
                    if errno == EINTR { continue }
                    return
                }
                Thread.detachNewThread {
                    let client = ClientTestConnection(descriptor: connection)
                    handler(client)
                    client.close()
                }
            }
        }
    }

    /// Stops accepting and removes the socket file.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        Glibc.close(listener)
        unlink(path)
    }
}

/// Why the test server could not start.
enum ClientTestServerError: Error {
    case system(String, Int32)
}

/// The server's end of one connection: blocking line reads and writes.
final class ClientTestConnection {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var isOpen = true

    init(descriptor: Int32) { self.descriptor = descriptor }

    /// The next line without its newline, or nil when the client closed first.
    func readLine() -> [UInt8]? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                return line
            }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return nil }
            buffer += chunk[..<count]
        }
    }

    /// Reads whatever arrives, up to `count` bytes, without looking for lines.
    func readSome(_ count: Int) -> Int {
        var chunk = [UInt8](repeating: 0, count: count)
        return chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
    }

    /// Writes every byte (ignoring a client that went away).
    func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return }
            offset += sent
        }
    }

    /// Writes `line` and a newline.
    func writeLine(_ line: [UInt8]) { write(line + [UInt8(ascii: "\n")]) }

    /// Answers request `line` with `result`, echoing its id.
    func respond<Result: Codable & Sendable>(to line: [UInt8], with result: Result) throws {
        writeLine(try ProtocolCoding.encodeLine(JSONRPCResponse(id: try ProtocolCoding.decodeHeader(line).id ?? .null, result: result)))
    }

    /// Closes the connection (once).
    func close() {
        guard isOpen else { return }
        isOpen = false
        Glibc.close(descriptor)
    }
}

import AttributionDaemon
import AttributionProtocol
import Foundation
import Glibc
import Testing

@Suite("Socket server: the socket file and socket activation")
struct ServerSocketTests {
    @Test("the socket gets the requested mode whatever the umask", arguments: [UInt16(0o600), 0o660, 0o666])
    func socketMode(mode: UInt16) async throws {
        let path = temporarySocketPath()
        let server = try await RPCServer.listen(on: .path(path, mode: mode), limits: RPCServerLimits(), handler: ServerTestHandler(),
                                                logger: quietLogger)
        try await withTimeout {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { try? await server.run() }
                defer { group.cancelAll() }
                var status = stat()
                #expect(lstat(path, &status) == 0)
                #expect(status.st_mode & S_IFMT == S_IFSOCK)
                #expect(UInt16(status.st_mode & 0o7777) == mode)
            }
        }
        #expect(!FileManager.default.fileExists(atPath: path), "the server removes the socket it bound when it stops")
    }

    @Test("a stale socket file is replaced")
    func staleSocket() async throws {
        let path = temporarySocketPath()
        let descriptor = try boundUnixSocket(at: path, listening: false)
        close(descriptor)
        #expect(FileManager.default.fileExists(atPath: path))
        let server = try await RPCServer.listen(on: .path(path, mode: 0o600), limits: RPCServerLimits(), handler: ServerTestHandler(),
                                                logger: quietLogger)
        try await serveOneRoundTrip(server, path: path)
    }

    @Test("a regular file at the path is left alone")
    func regularFile() async throws {
        let path = temporarySocketPath()
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        await #expect {
            _ = try await RPCServer.listen(on: .path(path, mode: 0o600), limits: RPCServerLimits(), handler: ServerTestHandler(),
                                           logger: quietLogger)
        } throws: { error in
            guard case .socketPathOccupied(path, "regular file") = error as? RPCServerError else { return false }
            return true
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data("keep me".utf8))
    }

    @Test("a socket another server listens on is left alone")
    func liveSocket() async throws {
        try await withRunningServer { _, path in
            await #expect {
                _ = try await RPCServer.listen(on: .path(path, mode: 0o600), limits: RPCServerLimits(), handler: ServerTestHandler(),
                                               logger: quietLogger)
            } throws: { error in
                guard case .addressInUse(path) = error as? RPCServerError else { return false }
                return true
            }
            try await ServerTestClient.connect(to: path) { client in
                try await client.send(line: testRequest(id: 1))
                #expect(try decodeResponse(try #require(await client.readLine())).id == .number(1))
            }
        }
    }

    @Test("a path longer than a socket address holds is refused")
    func longPath() async throws {
        let path = "/" + String(repeating: "p", count: 120)
        await #expect {
            _ = try await RPCServer.listen(on: .path(path, mode: 0o600), limits: RPCServerLimits(), handler: ServerTestHandler(),
                                           logger: quietLogger)
        } throws: { error in
            guard case .socketPathTooLong(_, 121, 107) = error as? RPCServerError else { return false }
            return true
        }
    }

    @Test("limits out of range are refused")
    func invalidLimits() async throws {
        await #expect(throws: RPCServerError.self) {
            _ = try await RPCServer.listen(on: .path(temporarySocketPath(), mode: 0o600), limits: RPCServerLimits(maxConnections: 0),
                                           handler: ServerTestHandler(), logger: quietLogger)
        }
    }

    @Test("an adopted listening socket is served, and its path is left to its owner")
    func adoptedSocket() async throws {
        let path = temporarySocketPath()
        defer { unlink(path) }
        let descriptor = try boundUnixSocket(at: path, listening: true)
        let server = try await RPCServer.listen(on: .adopted(descriptor: descriptor), limits: RPCServerLimits(),
                                                handler: ServerTestHandler(), logger: quietLogger)
        try await serveOneRoundTrip(server, path: path)
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test("a descriptor that is not a Unix stream socket is refused")
    func adoptedNonSocket() async throws {
        var pipeEnds: [CInt] = [0, 0]
        #expect(pipe(&pipeEnds) == 0)
        defer { pipeEnds.forEach { close($0) } }
        let datagram = socket(AF_UNIX, CInt(SOCK_DGRAM.rawValue), 0)
        defer { close(datagram) }
        for descriptor in [pipeEnds[0], datagram] {
            await #expect {
                _ = try await RPCServer.listen(on: .adopted(descriptor: descriptor), limits: RPCServerLimits(),
                                               handler: ServerTestHandler(), logger: quietLogger)
            } throws: { error in
                guard case .adoptedDescriptorUnusable(descriptor, _) = error as? RPCServerError else { return false }
                return true
            }
        }
    }

    @Test("a second run of the same server is refused")
    func runsOnce() async throws {
        try await withRunningServer { server, path in
            // An answer proves the first run() is serving.
            try await ServerTestClient.connect(to: path) { client in
                try await client.send(line: testRequest(id: 1))
                #expect(try await client.readLine() != nil)
            }
            await #expect(throws: RPCServerError.self) { try await server.run() }
        }
    }

    /// Runs `server`, does one round trip over `path`, stops it.
    private func serveOneRoundTrip(_ server: RPCServer, path: String) async throws {
        try await withTimeout {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await server.run() }
                defer { group.cancelAll() }
                try await ServerTestClient.connect(to: path) { client in
                    try await client.send(line: testRequest(id: 1, ServerTestParams(text: "over the socket")))
                    #expect(try decodeResponse(try #require(await client.readLine())).result?.text == "over the socket")
                }
            }
        }
    }
}

/// A Unix stream socket bound at `path` (listening if asked), made with plain POSIX calls as a
/// service manager would.
func boundUnixSocket(at path: String, listening: Bool) throws -> CInt {
    let descriptor = socket(AF_UNIX, CInt(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw ServerTestFailure(description: "socket: errno \(errno)") }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { target in
        for (index, byte) in path.utf8.enumerated() { target[index] = byte }
    }
    let bound = withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
    guard bound == 0, !listening || listen(descriptor, 16) == 0 else {
        close(descriptor)
        throw ServerTestFailure(description: "bind/listen: errno \(errno)")
    }
    return descriptor
}

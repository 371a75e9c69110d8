import AttributionDaemon
import AttributionProtocol
import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Parameters of the test handler's methods.
struct ServerTestParams: Codable, Sendable, Equatable {
    /// Echoed back.
    var text: String?
    /// `sleep`/`stubborn`: how long to take.
    var milliseconds: Int?
    /// `big`: the length of the text answered.
    var bytes: Int?
}

/// A request handler for transport tests: `echo` answers its params, `sleep` waits (cancellably),
/// `stubborn` waits ignoring cancellation, `gate` waits until the test opens the gate, `big`
/// answers a long text. Counts calls.
final class ServerTestHandler: RequestHandling {
    private let counts = Mutex((started: 0, finished: 0))
    private let gate = Mutex((open: false, waiting: [CheckedContinuation<Void, Never>]()))

    var started: Int { counts.withLock { $0.started } }
    var finished: Int { counts.withLock { $0.finished } }

    /// Lets every `gate` request, waiting or to come, answer.
    func openGate() {
        let waiting = gate.withLock { gate in
            gate.open = true
            defer { gate.waiting = [] }
            return gate.waiting
        }
        for continuation in waiting { continuation.resume() }
    }

    func respond(to line: [UInt8]) async -> [UInt8]? {
        counts.withLock { $0.started += 1 }
        defer { counts.withLock { $0.finished += 1 } }
        guard let request = try? ProtocolCoding.makeDecoder().decode(JSONRPCRequest<ServerTestParams>.self, from: Data(line)) else {
            return ProtocolCoding.errorLine(id: .null, error: JSONRPCError(.parseError))
        }
        var result = request.params ?? ServerTestParams()
        switch request.method {
        case "echo":
            break
        case "sleep":
            try? await Task.sleep(for: .milliseconds(result.milliseconds ?? 0))
        case "stubborn":
            let milliseconds = result.milliseconds ?? 0
            await withCheckedContinuation { continuation in
                Thread.detachNewThread {
                    Thread.sleep(forTimeInterval: Double(milliseconds) / 1000)
                    continuation.resume()
                }
            }
        case "gate":
            await withCheckedContinuation { continuation in
                let open = gate.withLock { gate in
                    if !gate.open { gate.waiting.append(continuation) }
                    return gate.open
                }
                if open { continuation.resume() }
            }
        case "big":
            result.text = String(repeating: "x", count: result.bytes ?? 0)
        default:
            return request.id.map { ProtocolCoding.errorLine(id: $0, error: JSONRPCError(.methodNotFound)) }
        }
        guard let id = request.id else { return nil }
        return try? ProtocolCoding.encodeLine(JSONRPCResponse(id: id, result: result))
    }
}

/// A request line for the test handler (no id: a notification).
func testRequest(id: Int?, method: String = "echo", _ params: ServerTestParams = ServerTestParams()) -> String {
    struct Request: Encodable {
        let jsonrpc = "2.0"
        let id: Int?
        let method: String
        let params: ServerTestParams
    }
    let line = (try? ProtocolCoding.encodeLine(Request(id: id, method: method, params: params))) ?? []
    return String(decoding: line, as: UTF8.self)
}

/// A response line, decoded.
func decodeResponse(_ line: String) throws -> JSONRPCResponse<ServerTestParams> {
    try ProtocolCoding.makeDecoder().decode(JSONRPCResponse<ServerTestParams>.self, from: Data(line.utf8))
}

/// A fresh socket path short enough for `sun_path`.
func temporarySocketPath() -> String {
    let suffix = String(UInt32.random(in: .min ... .max), radix: 16)
    return FileManager.default.temporaryDirectory.appendingPathComponent("arpc-\(suffix).sock").path
}

/// A logger that prints nothing.
let quietLogger = Logger(label: "server-tests") { _ in SwiftLogNoOpLogHandler() }

/// Why a test gave up.
struct ServerTestFailure: Error, CustomStringConvertible {
    var description: String
}

/// Runs `body`, failing if it takes longer than `limit` (no transport test may hang).
func withTimeout<T: Sendable>(_ limit: Duration = .seconds(20), _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            throw ServerTestFailure(description: "timed out after \(limit)")
        }
        return value
    }
}

/// Waits until `condition` holds, polling; fails after `limit`.
func eventually(_ what: String, within limit: Duration = .seconds(10), _ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + limit
    while !condition() {
        guard ContinuousClock.now < deadline else { throw ServerTestFailure(description: "never happened: \(what)") }
        try await Task.sleep(for: .milliseconds(10))
    }
}

/// Listens on a fresh path with `limits`, runs the server while `body` runs, then cancels it.
func withRunningServer<T: Sendable>(
    limits: RPCServerLimits = RPCServerLimits(), handler: ServerTestHandler = ServerTestHandler(),
    _ body: @escaping @Sendable (RPCServer, String) async throws -> T
) async throws -> T {
    let path = temporarySocketPath()
    let server = try await RPCServer.listen(on: .path(path, mode: 0o600), limits: limits, handler: handler, logger: quietLogger)
    return try await withTimeout {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            defer { group.cancelAll() }
            return try await body(server, path)
        }
    }
}

/// Listens on a fresh path and runs the server in a `ServiceGroup` while `body` runs; `body`
/// triggers the group's graceful shutdown, and this returns the server once the group has stopped.
@discardableResult
func withServerInServiceGroup(
    handler: ServerTestHandler = ServerTestHandler(),
    _ body: @escaping @Sendable (RPCServer, ServiceGroup, String) async throws -> Void
) async throws -> RPCServer {
    let path = temporarySocketPath()
    let server = try await RPCServer.listen(on: .path(path, mode: 0o600), limits: RPCServerLimits(), handler: handler, logger: quietLogger)
    let group = ServiceGroup(services: [server], logger: quietLogger)
    try await withTimeout {
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await body(server, group, path)
            try await tasks.waitForAll()
        }
    }
    return server
}

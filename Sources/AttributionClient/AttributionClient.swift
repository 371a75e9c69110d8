import AttributionProtocol
import Foundation
import SystemPackage

/// One connection to the daemon's socket, speaking JSON-RPC 2.0 one line per message.
///
/// Calls are synchronous and one at a time: each sends a request with the next integer id and
/// waits for the matching response line, for at most `timeout`. The class is not `Sendable`;
/// use one client per thread or task. A call that times out, or a connection that breaks,
/// leaves the stream out of step with the requests, so the connection is closed and later calls
/// throw `notConnected`; connect again to retry.
public final class AttributionClient {
    /// The socket's path.
    public let socketPath: String
    /// The longest a call may take, sending included.
    public let timeout: Duration
    /// The largest response line accepted, in bytes.
    public let maximumResponseBytes: Int

    private let connection: UnixSocketConnection
    private var nextID: Int64 = 1
    private var isUsable = true

    /// Connects to the daemon's socket.
    ///
    /// - Parameters:
    ///   - timeout: The limit for connecting and for each call.
    ///   - maximumResponseBytes: Responses longer than this end the call with `responseTooLarge`.
    /// - Throws: `cannotConnect` (no socket, permission denied, nobody listening) or `timedOut`.
    public init(socketPath: String, timeout: Duration = .seconds(300), maximumResponseBytes: Int = 1 << 30) throws(ClientError) {
        self.socketPath = socketPath
        self.timeout = timeout
        self.maximumResponseBytes = maximumResponseBytes
        connection = try UnixSocketConnection.connect(path: socketPath, timeout: timeout)
    }

    /// Sends one request and waits for its response.
    ///
    /// - Throws: `server` with the daemon's error for error responses; `timedOut`,
    ///   `connectionClosed`, `malformedResponse` and the like when no valid response arrives.
    public func call<Params: Codable & Sendable, Result: Codable & Sendable>(
        _ method: RPCMethod, _ params: Params, as resultType: Result.Type
    ) throws(ClientError) -> Result {
        try perform(method, params: params, as: resultType)
    }

    /// Sends one request without parameters and waits for its response.
    ///
    /// - Throws: as `call(_:_:as:)`.
    public func call<Result: Codable & Sendable>(_ method: RPCMethod, as resultType: Result.Type) throws(ClientError) -> Result {
        try perform(method, params: NoParams?.none, as: resultType)
    }

    /// Sends `rawLine` followed by a newline and returns the first response line (without its
    /// newline), unparsed: for sending malformed input on purpose. A notification gets no
    /// response, so it ends in `timedOut`.
    public func exchange(rawLine: [UInt8]) throws(ClientError) -> [UInt8] {
        try roundTrip(rawLine + [UInt8(ascii: "\n")], label: "raw request")
    }

    /// Closes the connection; later calls throw `notConnected`. Closing twice does nothing.
    public func close() {
        isUsable = false
        connection.close()
    }

    private func perform<Params: Codable & Sendable, Result: Codable & Sendable>(
        _ method: RPCMethod, params: Params?, as resultType: Result.Type
    ) throws(ClientError) -> Result {
        let id = nextID
        nextID += 1
        var line: [UInt8]
        do {
            line = try ProtocolCoding.encodeLine(JSONRPCRequest(id: .number(id), method: method, params: params))
        } catch {
            throw .cannotEncode(method: method.rawValue, reason: "\(error)")
        }
        line.append(UInt8(ascii: "\n"))
        let response = try roundTrip(line, label: method.rawValue)
        return try decode(response, id: id, method: method.rawValue, as: resultType)
    }

    /// Sends `bytes` and reads one line, both before one deadline; any failure but a complete
    /// line leaves the stream in an unknown state, so it closes the connection.
    private func roundTrip(_ bytes: [UInt8], label: String) throws(ClientError) -> [UInt8] {
        guard isUsable else { throw .notConnected }
        let deadline = SocketDeadline(after: timeout)
        do {
            // A daemon that refuses a request (too large, say) answers and closes while the rest
            // is still being sent; `send` then stops, and its answer is still waiting to be read.
            try connection.send(bytes, deadline: deadline)
            return try connection.receiveLine(deadline: deadline, limit: maximumResponseBytes)
        } catch {
            close()
            switch error {
            case .timedOut: throw .timedOut(method: label, after: timeout)
            case .closed(let receivedBytes): throw .connectionClosed(method: label, receivedBytes: receivedBytes)
            case .system(let operation, let errno): throw .transport(operation: operation, errno: errno.rawValue)
            case .lineTooLong: throw .responseTooLarge(method: label, limit: maximumResponseBytes)
            }
        }
    }

    /// Reads a response line: its error if it has one, else its result, checking the id.
    private func decode<Result: Codable & Sendable>(
        _ line: [UInt8], id: Int64, method: String, as resultType: Result.Type
    ) throws(ClientError) -> Result {
        let decoder = ProtocolCoding.makeDecoder()
        let header: ResponseHeader
        do { header = try decoder.decode(ResponseHeader.self, from: Data(line)) } catch {
            close()
            throw .malformedResponse(method: method, reason: "not a JSON-RPC response (\(ProtocolCoding.describe(error)))")
        }
        guard header.jsonrpc == "2.0" else {
            close()
            throw .malformedResponse(method: method, reason: "\"jsonrpc\" is \"\(header.jsonrpc)\", not \"2.0\"")
        }
        // An error about a request the daemon could not read carries id null.
        if let error = header.error, header.id == .null || header.id == .number(id) { throw .server(error) }
        guard header.id == .number(id) else {
            close()
            throw .malformedResponse(method: method, reason: "response id \(header.id) does not match request id \(id)")
        }
        let result: Result?
        do { result = try decoder.decode(JSONRPCResponse<Result>.self, from: Data(line)).result } catch {
            throw .malformedResponse(method: method, reason: "unexpected result (\(ProtocolCoding.describe(error)))")
        }
        guard let result else { throw .malformedResponse(method: method, reason: "neither \"result\" nor \"error\"") }
        return result
    }
}

/// The members of a response read before its result: enough to tell an error from a result and
/// to check the id, whatever the result's type.
private struct ResponseHeader: Decodable {
    let jsonrpc: String
    let id: JSONRPCID
    let error: JSONRPCError?

    private enum CodingKeys: String, CodingKey { case jsonrpc, id, error }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        jsonrpc = try container.decode(String.self, forKey: .jsonrpc)
        id = try container.decodeIfPresent(JSONRPCID.self, forKey: .id) ?? .null
        error = try container.decodeIfPresent(JSONRPCError.self, forKey: .error)
    }
}

import AttributionProtocol
import Foundation

/// Any response, its result left unread: for checking ids and error codes.
typealias AnyResponse = JSONRPCResponse<NoParams>

/// Raw JSON-RPC exchanges over a test connection, decoded with the protocol's own types.
extension LineSocket {
    /// Sends `line` as it is and returns the one response it gets.
    func exchange(rawLine line: String, timeout: Double = 30) throws -> AnyResponse {
        try sendLine(line)
        return try Self.decode(try readLine(timeout: timeout))
    }

    /// Decodes a response line, whatever its result.
    static func decode(_ line: [UInt8]) throws -> AnyResponse {
        do {
            return try ProtocolCoding.makeDecoder().decode(AnyResponse.self, from: Data(line))
        } catch {
            throw TestFailure("not a JSON-RPC response: \(String(decoding: line.prefix(500), as: UTF8.self)) (\(error))")
        }
    }
}

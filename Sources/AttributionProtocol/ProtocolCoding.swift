import Foundation

/// How protocol messages become bytes: JSON with snake_case keys, ISO 8601 dates, one line each.
public enum ProtocolCoding {
    /// An encoder producing one line (no newlines inside), snake_case keys, ISO 8601 dates.
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// The matching decoder.
    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    /// Reads a request line's envelope.
    ///
    /// - Throws: `parseError` when the line is not JSON, `invalidRequest` when it is a batch or
    ///   lacks `jsonrpc: "2.0"` or a string `method`.
    public static func decodeHeader(_ line: [UInt8]) throws(JSONRPCError) -> JSONRPCRequestHeader {
        let data = Data(line)
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) } catch {
            throw JSONRPCError(.parseError, reason: "the line is not valid JSON")
        }
        if object is [Any] { throw JSONRPCError(.invalidRequest, reason: "batch requests are not supported; send one request per line") }
        guard object is [String: Any] else { throw JSONRPCError(.invalidRequest, reason: "a request must be a JSON object") }
        let header: JSONRPCRequestHeader
        do { header = try makeDecoder().decode(JSONRPCRequestHeader.self, from: data) } catch {
            throw JSONRPCError(.invalidRequest, reason: "a request needs \"jsonrpc\": \"2.0\", a string \"method\" and an integer, string or null \"id\" (\(describe(error)))")
        }
        guard header.jsonrpc == "2.0" else { throw JSONRPCError(.invalidRequest, reason: "\"jsonrpc\" must be \"2.0\"") }
        return header
    }

    /// Decodes a request line's parameters as `Params`.
    ///
    /// - Throws: `invalidParams` naming the member at fault.
    public static func decodeParams<Params: Codable & Sendable>(_ type: Params.Type, from line: [UInt8]) throws(JSONRPCError) -> Params {
        do {
            let request = try makeDecoder().decode(JSONRPCRequest<Params>.self, from: Data(line))
            if let params = request.params { return params }
            return try makeDecoder().decode(Params.self, from: Data("{}".utf8))
        } catch {
            throw JSONRPCError(.invalidParams, reason: describe(error))
        }
    }

    /// Encodes a value as one line of UTF-8 (without the newline).
    public static func encodeLine<Value: Encodable>(_ value: Value) throws -> [UInt8] {
        Array(try makeEncoder().encode(value))
    }

    /// A response line for `error`; never fails (falls back to a fixed internal-error line).
    public static func errorLine(id: JSONRPCID, error: JSONRPCError) -> [UInt8] {
        (try? encodeLine(JSONRPCResponse<NoParams>(id: id, error: error)))
            ?? Array(#"{"error":{"code":-32603,"message":"internal error"},"id":null,"jsonrpc":"2.0"}"#.utf8)
    }

    /// Words for a decoding error: which member, and what was wrong with it.
    public static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.filter { $0.stringValue != "params" }.map { key in
                key.intValue.map { "[\($0)]" } ?? snakeCase(key.stringValue)
            }
            return keys.isEmpty ? "params" : keys.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .typeMismatch(let type, let context): return "\(path(context)): expected \(type)"
        case .valueNotFound(let type, let context): return "\(path(context)): expected \(type), found null"
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return "missing \(parent == "params" ? "" : parent + ".")\(snakeCase(key.stringValue))"
        case .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    /// `topK` → `top_k`, as the encoder spells keys.
    static func snakeCase(_ key: String) -> String {
        var result = ""
        for character in key {
            if character.isUppercase {
                result += "_" + character.lowercased()
            } else {
                result.append(character)
            }
        }
        return result
    }
}

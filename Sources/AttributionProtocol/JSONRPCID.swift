/// A JSON-RPC 2.0 request id: a string, an integer, or null (JSON-RPC 2.0 §4).
public enum JSONRPCID: Sendable, Hashable, Codable, CustomStringConvertible {
    /// A numeric id (fractional ids are refused, as the spec discourages them).
    case number(Int64)
    /// A string id.
    case string(String)
    /// `null`: used in error responses when the request's id could not be read.
    case null

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let number = try? container.decode(Int64.self) {
            self = .number(number)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "an id must be a string, an integer or null")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let number): try container.encode(number)
        case .string(let string): try container.encode(string)
        case .null: try container.encodeNil()
        }
    }

    public var description: String {
        switch self {
        case .number(let number): "\(number)"
        case .string(let string): "\"\(string)\""
        case .null: "null"
        }
    }
}

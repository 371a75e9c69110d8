/// A parsed JSON value that keeps what the safetensors header needs and `Foundation`'s parsers lose:
/// the order of object members, duplicate member names, and the exact text of numbers (so
/// `1.0` can be told apart from `1` when an integer is required).
enum JSONValue {
    case object([(key: String, value: JSONValue)])
    case array([JSONValue])
    case string(String)
    /// The number's literal text, as it appeared in the document.
    case number(String)
    case bool(Bool)
    case null

    /// A short name of the value's kind, for error messages.
    var kind: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }

    /// The value as a non-negative integer, if it is an integer literal (no fraction, no
    /// exponent) that fits in `Int`.
    var nonNegativeInteger: Int? {
        guard case .number(let text) = self, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let value = Int(text) else { return nil }
        return value
    }
}

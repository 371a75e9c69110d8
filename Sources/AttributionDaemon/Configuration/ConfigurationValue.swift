import TOMLKit

/// A TOML value found at a dotted key, with readers that turn it into a typed setting or into an
/// error naming the file, the key and what is wrong.
struct ConfigurationValue {
    /// The value as TOMLKit parsed it.
    let node: any TOMLValueConvertible
    /// Dotted key, e.g. `socket.max_request_bytes`.
    let key: String
    /// Name of the file (or text) being parsed.
    let source: String

    /// Accepted durations in seconds. The lower bound keeps a duration from rounding to zero when it
    /// is converted to milliseconds; the upper one (about 11.5 days) is far beyond any useful timeout
    /// or rescan period, and small enough to convert to nanoseconds without overflow.
    static let secondsRange: ClosedRange<Double> = 0.001...1_000_000

    /// An integer within `range`.
    func integer(in range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard let value = node.int else { throw wrongType(expected: "an integer") }
        guard range.contains(value) else { throw outOfRange(String(value), allowed: Self.describe(range)) }
        return value
    }

    /// A duration in seconds, written as an integer or a float, within `range` (by default
    /// `secondsRange`).
    func seconds(in range: ClosedRange<Double> = secondsRange) throws(ConfigurationError) -> Double {
        let value = try anyNumber(expected: "a number of seconds")
        // `contains` is false for NaN too.
        guard range.contains(value) else {
            throw outOfRange(node.debugDescription, allowed: "\(Self.describe(range.lowerBound)) to \(Self.describe(range.upperBound)) seconds")
        }
        return value
    }

    /// A string, any content.
    func string() throws(ConfigurationError) -> String {
        guard let value = node.string else { throw wrongType(expected: "a string") }
        return value
    }

    /// One of the accepted words, compared exactly.
    func choice(_ allowed: [String]) throws(ConfigurationError) -> String {
        let value = try string()
        guard allowed.contains(value) else { throw invalidChoice(value, allowed: allowed) }
        return value
    }

    /// An absolute path; with `allowingEmpty`, "" is also accepted (it means "use the default").
    func absolutePath(allowingEmpty: Bool = false) throws(ConfigurationError) -> String {
        let value = try string()
        if value.isEmpty && allowingEmpty {
            return value
        }
        guard value.hasPrefix("/") else { throw .relativePath(source: source, key: key, path: value) }
        return value
    }

    /// An array of absolute paths; elements are named `key[index]` in errors.
    func absolutePaths() throws(ConfigurationError) -> [String] {
        guard let array = node.array else { throw wrongType(expected: "an array of absolute paths") }
        var paths: [String] = []
        for (index, element) in array.enumerated() {
            let item = ConfigurationValue(node: element, key: "\(key)[\(index)]", source: source)
            paths.append(try item.absolutePath())
        }
        return paths
    }

    /// A file mode written as an octal string such as "0660", at most 0777 (no setuid, setgid or sticky bits).
    ///
    /// An integer is refused on purpose: TOML reads `mode = 0660` as decimal 660, not the octal mode meant.
    func fileMode() throws(ConfigurationError) -> UInt16 {
        guard let text = node.string else { throw wrongType(expected: "an octal string such as \"0660\"") }
        let digits = text.utf8
        guard !digits.isEmpty, digits.count <= 6, digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "7")).contains($0) }),
            let mode = UInt16(text, radix: 8)
        else {
            throw .badMode(source: source, key: key, value: text)
        }
        guard mode <= 0o777 else { throw outOfRange("\"\(text)\"", allowed: "\"0000\" to \"0777\"") }
        return mode
    }

    /// The error for a value of the wrong TOML type.
    func wrongType(expected: String) -> ConfigurationError {
        .wrongType(source: source, key: key, expected: expected, found: Self.describeFound(node))
    }

    /// The error for a value outside the accepted range.
    func outOfRange(_ value: String, allowed: String) -> ConfigurationError {
        .outOfRange(source: source, key: key, value: value, allowed: allowed)
    }

    /// The error for a word that is not one of `allowed`.
    func invalidChoice(_ value: String, allowed: [String]) -> ConfigurationError {
        .invalidChoice(source: source, key: key, value: value, allowed: allowed)
    }

    /// "1 to 256", or "at least 0" for ranges without a real upper bound.
    static func describe(_ range: ClosedRange<Int>) -> String {
        range.upperBound == Int.max ? "at least \(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)"
    }

    /// A number of seconds as a person writes it: `5`, `0.001`.
    static func describe(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }

    /// The type of a found value, with the value itself for scalars: `an integer (8)`, `a string ("8")`.
    static func describeFound(_ node: any TOMLValueConvertible) -> String {
        let name = node.type.description
        let article = name.first.map { "aeiou".contains($0) } == true ? "an" : "a"
        switch node.type {
        case .table, .array:
            return "\(article) \(name)"
        default:
            return "\(article) \(name) (\(node.debugDescription))"
        }
    }
}

extension ConfigurationValue {
    /// The value written as an integer or a float; `expected` names it in a type error.
    func anyNumber(expected: String) throws(ConfigurationError) -> Double {
        if let double = node.double { return double }
        if let int = node.int { return Double(int) }
        throw wrongType(expected: expected)
    }
}

/// Why a configuration file was refused. Every case names the file (`source`) and, where there is
/// one, the dotted key (e.g. `socket.max_request_bytes`); `description` is the message printed at
/// start-up, written for the person editing the file.
public enum ConfigurationError: Error, CustomStringConvertible, Equatable {
    /// The file could not be read (missing, a directory, no permission, too large, not UTF-8).
    case unreadableFile(path: String, reason: String)
    /// The text is not valid TOML; `line` and `column` are 1-based.
    case syntax(source: String, line: Int, column: Int, reason: String)
    /// A `[section]` the daemon does not know; `suggestion` is the closest known section, if any is close.
    case unknownSection(source: String, section: String, suggestion: String?, known: [String])
    /// A key the daemon does not know; `suggestion` is the closest known key, if any is close.
    case unknownKey(source: String, key: String, suggestion: String?, known: [String])
    /// A value of the wrong TOML type, e.g. a string where an integer is expected.
    case wrongType(source: String, key: String, expected: String, found: String)
    /// A value outside the range the daemon accepts; `allowed` describes the range.
    case outOfRange(source: String, key: String, value: String, allowed: String)
    /// A required key is absent.
    case missingKey(source: String, key: String, meaning: String)
    /// A relative path where an absolute one is needed (the daemon's working directory is not meaningful).
    case relativePath(source: String, key: String, path: String)
    /// A file mode that is not an octal string such as "0660".
    case badMode(source: String, key: String, value: String)
    /// A value that is not one of the accepted words (log levels, precisions).
    case invalidChoice(source: String, key: String, value: String, allowed: [String])

    /// The message printed when start-up stops on this error.
    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            return "cannot read configuration file \(path): \(reason)"
        case .syntax(let source, let line, let column, let reason):
            return "\(source):\(line):\(column): TOML syntax error: \(reason)"
        case .unknownSection(let source, let section, let suggestion, let known):
            let hint = suggestion.map { "did you mean [\($0)]?" }
                ?? "known sections: " + known.map { "[\($0)]" }.joined(separator: ", ")
            return "\(source): unknown section [\(section)]; \(hint)"
        case .unknownKey(let source, let key, let suggestion, let known):
            let hint = suggestion.map { "did you mean \($0)?" } ?? "known keys: " + known.joined(separator: ", ")
            return "\(source): unknown key \(key); \(hint)"
        case .wrongType(let source, let key, let expected, let found):
            return "\(source): \(key) must be \(expected), found \(found)"
        case .outOfRange(let source, let key, let value, let allowed):
            return "\(source): \(key) = \(value) is out of range; allowed: \(allowed)"
        case .missingKey(let source, let key, let meaning):
            return "\(source): missing required key \(key) (\(meaning))"
        case .relativePath(let source, let key, let path):
            return "\(source): \(key) must be an absolute path (starting with /), found \"\(path)\""
        case .badMode(let source, let key, let value):
            return "\(source): \(key) = \"\(value)\" is not an octal file mode; write it like \"0660\""
        case .invalidChoice(let source, let key, let value, let allowed):
            return "\(source): \(key) = \"\(value)\" is not accepted; use one of: \(allowed.joined(separator: ", "))"
        }
    }
}

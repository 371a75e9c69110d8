/// Why a `config.json` cannot describe a ``UNet2DModel`` this implementation runs.
public enum UNet2DConfigError: Error, Equatable, CustomStringConvertible {
    /// The file is not a JSON object.
    case malformedJSON(reason: String)
    /// A key holds a value of the wrong JSON type (e.g. a string where a number belongs).
    case wrongType(key: String, expected: String)
    /// A key holds a value diffusers may accept but this implementation does not support.
    case unsupportedValue(key: String, value: String, supported: [String])
    /// A key holds a value no UNet2DModel can be built from (inconsistent, non-positive, ...).
    case invalidValue(key: String, value: String, reason: String)

    /// A readable explanation naming the key and the value.
    public var description: String {
        switch self {
        case .malformedJSON(let reason):
            "UNet config is not a JSON object: \(reason)"
        case .wrongType(let key, let expected):
            "UNet config value \(key) has the wrong type: expected \(expected)"
        case .unsupportedValue(let key, let value, let supported):
            "unsupported config value \(key) = \(value) (supported: \(supported.joined(separator: ", ")))"
        case .invalidValue(let key, let value, let reason):
            "invalid config value \(key) = \(value): \(reason)"
        }
    }
}

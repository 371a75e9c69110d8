import Numerics

/// How a parameter set differs from the parameters a model expects: the keys that are missing,
/// the keys that are not expected, and the keys whose tensors have the wrong shape.
public struct ParameterMismatch: Sendable, Equatable, CustomStringConvertible {
    /// A key present in both, with different shapes.
    public struct WrongShape: Sendable, Equatable {
        /// The state-dict key.
        public let name: String
        /// The shape the model expects.
        public let expected: [Int]
        /// The shape found.
        public let found: [Int]
    }

    /// Expected keys that are absent, in the model's order.
    public let missing: [String]
    /// Keys the model does not have, in the set's order.
    public let unexpected: [String]
    /// Keys with a wrong shape, in the model's order.
    public let wrongShapes: [WrongShape]

    /// Compares `parameters` with `expected`; `nil` when they agree in keys and shapes.
    public init?(parameters: ParameterSet, expected: [ParameterSpec]) {
        let expectedNames = Set(expected.map(\.name))
        missing = expected.filter { parameters[$0.name] == nil }.map(\.name)
        unexpected = parameters.names.filter { !expectedNames.contains($0) }
        wrongShapes = expected.compactMap { spec in
            guard let tensor = parameters[spec.name], tensor.shape != spec.shape else { return nil }
            return WrongShape(name: spec.name, expected: spec.shape, found: tensor.shape)
        }
        if missing.isEmpty && unexpected.isEmpty && wrongShapes.isEmpty { return nil }
    }

    /// Every problem, each kind listed with up to ``listLimit`` keys.
    public var description: String {
        var parts: [String] = []
        if !missing.isEmpty { parts.append("missing keys: " + Self.list(missing)) }
        if !unexpected.isEmpty { parts.append("unexpected keys: " + Self.list(unexpected)) }
        if !wrongShapes.isEmpty {
            parts.append("wrong shapes: " + Self.list(wrongShapes.map { "\($0.name) (expected \($0.expected), found \($0.found))" }))
        }
        return parts.joined(separator: "; ")
    }

    /// Keys listed per kind before the rest is only counted (a wrong model can miss hundreds).
    public static let listLimit = 20

    private static func list(_ items: [String]) -> String {
        let shown = items.prefix(listLimit).joined(separator: ", ")
        return items.count > listLimit ? "\(shown) and \(items.count - listLimit) more" : shown
    }
}

import TOMLKit

/// Readers for values that are neither durations nor plain integers: fractions and lists of words.
extension ConfigurationValue {
    /// A number written as an integer or a float that `accepts` (NaN never is), with `allowed`
    /// describing the accepted values in errors (e.g. "greater than 0, at most 1").
    func number(allowed: String, where accepts: (Double) -> Bool) throws(ConfigurationError) -> Double {
        let value = try anyNumber(expected: "a number")
        guard !value.isNaN, accepts(value) else { throw outOfRange(node.debugDescription, allowed: allowed) }
        return value
    }

    /// One of the cases of `Choice`, written as its raw value.
    func choice<Choice: RawRepresentable & CaseIterable>(of _: Choice.Type) throws(ConfigurationError) -> Choice
    where Choice.RawValue == String {
        let word = try string()
        guard let value = Choice(rawValue: word) else { throw invalidChoice(word, allowed: Choice.allCases.map(\.rawValue)) }
        return value
    }

    /// A non-empty array of distinct words, each one of `allowed`; elements are named
    /// `key[index]` in errors.
    func choices(_ allowed: [String]) throws(ConfigurationError) -> [String] {
        guard let array = node.array else { throw wrongType(expected: "an array of strings") }
        var words: [String] = []
        for (index, element) in array.enumerated() {
            let item = ConfigurationValue(node: element, key: "\(key)[\(index)]", source: source)
            let word = try item.choice(allowed)
            guard !words.contains(word) else { throw item.outOfRange("\"\(word)\"", allowed: "each word once") }
            words.append(word)
        }
        guard !words.isEmpty else { throw outOfRange("[]", allowed: "at least one of: \(allowed.joined(separator: ", "))") }
        return words
    }
}

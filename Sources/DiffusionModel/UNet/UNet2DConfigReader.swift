/// Reads `config.json` keys with diffusers' defaults and turns every decoding problem into a
/// ``UNet2DConfigError`` naming the key.
struct ConfigReader {
    typealias Key = UNet2DConfig.CodingKeys
    let container: KeyedDecodingContainer<Key>

    /// The value of a key that cannot be `null`; absent means `fallback`.
    func value<T: Decodable>(_ key: Key, default fallback: T) throws(UNet2DConfigError) -> T {
        guard container.contains(key) else { return fallback }
        guard let value: T = try optional(key, default: nil) else {
            throw .invalidValue(key: key.rawValue, value: "null", reason: "must not be null")
        }
        return value
    }

    /// The value of a key that may be `null` (nil); absent means `fallback`.
    func optional<T: Decodable>(_ key: Key, default fallback: T?) throws(UNet2DConfigError) -> T? {
        guard container.contains(key) else { return fallback }
        do {
            return try container.decodeIfPresent(T.self, forKey: key)
        } catch {
            throw .wrongType(key: key.rawValue, expected: "\(T.self)")
        }
    }

    /// A string-valued choice.
    func choice<C: RawRepresentable & CaseIterable>(_ key: Key, default fallback: C) throws(UNet2DConfigError) -> C
    where C.RawValue == String {
        try parse(value(key, default: fallback.rawValue), key: key.rawValue)
    }

    /// A string-valued choice that may be `null`.
    func optionalChoice<C: RawRepresentable & CaseIterable>(_ key: Key, default fallback: C?) throws(UNet2DConfigError) -> C?
    where C.RawValue == String {
        guard let text: String = try optional(key, default: fallback?.rawValue) else { return nil }
        return try parse(text, key: key.rawValue)
    }

    /// A list of string-valued choices; a refused entry is named with its index.
    func choices<C: RawRepresentable & CaseIterable>(_ key: Key, default fallback: [C]) throws(UNet2DConfigError) -> [C]
    where C.RawValue == String {
        let texts: [String] = try value(key, default: fallback.map(\.rawValue))
        var parsed: [C] = []
        for (index, text) in texts.enumerated() { parsed.append(try parse(text, key: "\(key.rawValue)[\(index)]")) }
        return parsed
    }

    /// Checks that a key is absent or holds the one value supported (or, if `nullable`, `null`).
    func requireFixed(_ key: Key, _ supported: String, nullable: Bool) throws(UNet2DConfigError) {
        guard let text: String = try optional(key, default: nil) else {
            if container.contains(key) && !nullable {
                throw .unsupportedValue(key: key.rawValue, value: "null", supported: ["\"\(supported)\""])
            }
            return
        }
        guard text == supported else { throw .unsupportedValue(key: key.rawValue, value: "\"\(text)\"", supported: ["\"\(supported)\""]) }
    }

    /// Checks that a key for a refused feature is absent or `null`.
    func requireAbsentOrNull(_ key: Key) throws(UNet2DConfigError) {
        guard container.contains(key), (try? container.decodeNil(forKey: key)) != true else { return }
        let shown = (try? container.decode(String.self, forKey: key)).map { "\"\($0)\"" }
            ?? (try? container.decode(Double.self, forKey: key)).map { "\($0)" } ?? "a non-null value"
        throw .unsupportedValue(key: key.rawValue, value: shown, supported: ["null"])
    }

    /// `sample_size`: an integer, `null`, or a `[height, width]` pair with equal sides.
    func sampleSize() throws(UNet2DConfigError) -> Int? {
        let key = Key.sampleSize
        if let side = try? container.decodeIfPresent(Int.self, forKey: key) { return side }
        guard container.contains(key), (try? container.decodeNil(forKey: key)) != true else { return nil }
        guard let sides = try? container.decode([Int].self, forKey: key) else {
            throw .wrongType(key: key.rawValue, expected: "an integer or a [height, width] pair")
        }
        guard sides.count == 2, sides[0] == sides[1] else {
            throw .unsupportedValue(key: key.rawValue, value: "\(sides)", supported: ["an integer", "a square [side, side] pair"])
        }
        return sides[0]
    }

    private func parse<C: RawRepresentable & CaseIterable>(_ text: String, key: String) throws(UNet2DConfigError) -> C
    where C.RawValue == String {
        guard let choice = C(rawValue: text) else {
            throw .unsupportedValue(key: key, value: "\"\(text)\"", supported: C.allCases.map { "\"\($0.rawValue)\"" })
        }
        return choice
    }
}

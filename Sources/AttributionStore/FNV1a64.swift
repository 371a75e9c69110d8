/// The 64-bit FNV-1a hash, fed incrementally: a cheap fingerprint of a shard file's bytes for
/// noticing that a file changed (not a cryptographic hash).
public struct FNV1a64: Sendable, Hashable {
    /// The hash of the bytes fed so far (the offset basis before any).
    public private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    /// A hasher that has seen no bytes.
    public init() {}

    /// Feeds `bytes`.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var hash = value
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        value = hash
    }

    /// Feeds `bytes`.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The hash of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> UInt64 {
        var hasher = FNV1a64()
        hasher.update(bytes)
        return hasher.value
    }

    /// 16 hex digits of the hash of `parts` joined by newlines: a short, stable name for the
    /// settings something depends on.
    public static func hexDigest(of parts: [String]) -> String {
        let digits = String(hash(Array(parts.joined(separator: "\n").utf8)), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// A half-open range of keys, compared with the database's own key order.
public struct KeyRange: Sendable, Hashable {
    /// The first key in the range, or `nil` to start at the database's first key.
    public var lowerBound: [UInt8]?
    /// The first key past the range, or `nil` to run to the database's last key.
    public var upperBound: [UInt8]?

    /// The keys from `lowerBound` (inclusive) to `upperBound` (exclusive).
    public init(from lowerBound: [UInt8]? = nil, before upperBound: [UInt8]? = nil) {
        self.lowerBound = lowerBound
        self.upperBound = upperBound
    }

    /// Every key of the database.
    public static let all = KeyRange()

    /// The keys that start with `prefix`, in the default (lexicographic) key order.
    public static func prefix(_ prefix: [UInt8]) -> KeyRange {
        KeyRange(from: prefix, before: successor(ofPrefix: prefix))
    }

    /// The smallest key greater than every key starting with `prefix`: the prefix without its
    /// trailing `0xFF` bytes, last byte incremented; `nil` when no such key exists.
    private static func successor(ofPrefix prefix: [UInt8]) -> [UInt8]? {
        var bytes = prefix
        while let last = bytes.last {
            if last < 0xFF {
                bytes[bytes.count - 1] = last + 1
                return bytes
            }
            bytes.removeLast()
        }
        return nil
    }
}

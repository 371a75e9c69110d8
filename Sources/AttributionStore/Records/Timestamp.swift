#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A wall-clock instant, stored as nanoseconds since the Unix epoch.
public struct Timestamp: Sendable, Hashable, Comparable {
    /// Nanoseconds since 1970-01-01 00:00:00 UTC (negative before it).
    public var nanosecondsSinceEpoch: Int64

    /// The instant `nanosecondsSinceEpoch` nanoseconds after the Unix epoch.
    public init(nanosecondsSinceEpoch: Int64) {
        self.nanosecondsSinceEpoch = nanosecondsSinceEpoch
    }

    /// The current wall-clock time (`CLOCK_REALTIME`).
    public static func now() -> Timestamp {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Timestamp(nanosecondsSinceEpoch: Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec))
    }

    /// Orders instants by time.
    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.nanosecondsSinceEpoch < rhs.nanosecondsSinceEpoch
    }
}

extension RecordWriter {
    /// Appends a timestamp as little-endian nanoseconds.
    mutating func append(_ time: Timestamp) {
        appendLittleEndian(time.nanosecondsSinceEpoch)
    }

    /// Appends a presence byte, then the timestamp when present.
    mutating func append(_ time: Timestamp?) {
        append(time != nil)
        if let time { append(time) }
    }
}

extension RecordReader {
    /// A timestamp written as little-endian nanoseconds.
    mutating func readTimestamp() throws(AttributionStoreError) -> Timestamp {
        Timestamp(nanosecondsSinceEpoch: try readLittleEndian(Int64.self))
    }

    /// A presence byte, then a timestamp when present.
    mutating func readOptionalTimestamp() throws(AttributionStoreError) -> Timestamp? {
        try readBool() ? try readTimestamp() : nil
    }
}

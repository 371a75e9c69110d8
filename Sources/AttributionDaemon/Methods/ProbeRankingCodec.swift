/// The bytes a probe's history entry stores: each probe image's top examples as (id, score)
/// pairs, 12 bytes each, described again from the store when the history is read.
///
/// Layout (little-endian): image count `UInt32`; per image, an entry count `UInt32`, then that
/// many `Int64` ids each followed by a `Float` score's bit pattern (`UInt32`).
enum ProbeRankingCodec {
    /// One ranked example.
    struct Entry: Equatable {
        let id: Int64
        let score: Float
    }

    /// Why stored bytes are not a ranking.
    struct DecodingError: Error, CustomStringConvertible {
        let reason: String
        var description: String { "probe history entry is corrupt: \(reason)" }
    }

    /// The bytes of `rankings` (one list per probe image).
    static func encode(_ rankings: [[Entry]]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4 + rankings.reduce(0) { $0 + 4 + 12 * $1.count })
        append(UInt32(rankings.count), to: &bytes)
        for ranking in rankings {
            append(UInt32(ranking.count), to: &bytes)
            for entry in ranking {
                append(UInt64(bitPattern: entry.id), to: &bytes)
                append(entry.score.bitPattern, to: &bytes)
            }
        }
        return bytes
    }

    /// The rankings in `bytes`.
    /// - Throws: ``DecodingError`` when the bytes end early or run on.
    static func decode(_ bytes: [UInt8]) throws(DecodingError) -> [[Entry]] {
        var offset = 0
        func read<T: FixedWidthInteger>(_: T.Type) throws(DecodingError) -> T {
            let size = MemoryLayout<T>.size
            guard bytes.count - offset >= size else { throw DecodingError(reason: "ends at byte \(offset) of a \(size)-byte field") }
            var value: T = 0
            for index in 0..<size { value |= T(truncatingIfNeeded: bytes[offset + index]) << (8 * index) }
            offset += size
            return value
        }
        let images = try read(UInt32.self)
        var rankings: [[Entry]] = []
        for _ in 0..<images {
            let count = Int(try read(UInt32.self))
            guard count <= (bytes.count - offset) / 12 else {
                throw DecodingError(reason: "an entry count of \(count) exceeds the bytes left")
            }
            var ranking: [Entry] = []
            ranking.reserveCapacity(count)
            for _ in 0..<count {
                let id = Int64(bitPattern: try read(UInt64.self))
                ranking.append(Entry(id: id, score: Float(bitPattern: try read(UInt32.self))))
            }
            rankings.append(ranking)
        }
        guard offset == bytes.count else { throw DecodingError(reason: "\(bytes.count - offset) bytes after the last ranking") }
        return rankings
    }

    private static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
}

import Numerics

/// Default keys for query draws: a hash of each sample's values, so a query's measurement draws
/// depend on the image alone, not on its position in a request.
enum QueryKeys {
    /// FNV-1a (64-bit) over the bit patterns of each sample's values (and its element count).
    static func contentHashes(_ samples: Tensor) -> [UInt64] {
        let count = samples.shape.first ?? 0
        let perSample = count == 0 ? 0 : samples.count / count
        return (0..<count).map { sample in
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(perSample)
            for value in samples.scalars[sample * perSample..<(sample + 1) * perSample] {
                var bits = value.bitPattern
                for _ in 0..<4 {
                    hash = (hash ^ UInt64(bits & 0xFF)) &* 0x0000_0100_0000_01B3
                    bits >>= 8
                }
            }
            return hash
        }
    }
}

/// The Philox-4x32-10 counter-based block function (Salmon et al., "Parallel random numbers: as
/// easy as 1, 2, 3", SC 2011).
///
/// It maps a 128-bit counter and a 64-bit key to 128 random bits with ten rounds of
/// multiply-xor mixing. Because every block depends only on (key, counter), any position of any
/// stream can be computed directly, on any machine, with the same result.
public enum Philox {
    /// The four 32-bit output words for `counter` under `key`.
    public static func block(counter: SIMD4<UInt32>, key: SIMD2<UInt32>) -> SIMD4<UInt32> {
        // Scalar locals rather than SIMD lanes: the rounds are a serial chain of 32x32→64-bit
        // multiplies, which compilers schedule far better on plain registers.
        var (c0, c1, c2, c3) = (counter[0], counter[1], counter[2], counter[3])
        var (k0, k1) = (key[0], key[1])
        for _ in 0..<10 {
            let product0 = UInt64(0xD251_1F53) &* UInt64(c0)
            let product1 = UInt64(0xCD9E_8D57) &* UInt64(c2)
            (c0, c1, c2, c3) = (UInt32(truncatingIfNeeded: product1 >> 32) ^ c1 ^ k0,
                                UInt32(truncatingIfNeeded: product1),
                                UInt32(truncatingIfNeeded: product0 >> 32) ^ c3 ^ k1,
                                UInt32(truncatingIfNeeded: product0))
            k0 &+= 0x9E37_79B9
            k1 &+= 0xBB67_AE85
        }
        return SIMD4(c0, c1, c2, c3)
    }
}

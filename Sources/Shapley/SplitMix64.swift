/// The random numbers of one sample: SplitMix64 (Steele, Lea & Flood, 2014) started from a hash
/// of (seed, sample index).
///
/// Written out here rather than taken from the standard library so that sample `k` is the same
/// on every platform and toolchain — a saved sampler state must resume to bit-identical results.
struct SplitMix64: Sendable {
    private var state: UInt64

    /// The generator of sample `sample` of the estimate seeded with `seed`.
    init(seed: UInt64, sample: Int) {
        state = Self.mix(seed ^ Self.mix(UInt64(sample) &+ 0x632B_E59B_D9B4_E019))
    }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// A uniform integer in `0..<bound` (Lemire's multiply-and-reject, no modulo bias).
    mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "the bound must be positive")
        let bound = UInt64(bound)
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
        }
        return Int(product.high)
    }

    /// A uniform number in [0, 1) with 53 random bits.
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// `count` distinct players of `0..<players`, uniformly (a partial Fisher–Yates shuffle).
    mutating func subset(of players: Int, count: Int) -> [Int] {
        var order = Array(0..<players)
        for position in 0..<count {
            order.swapAt(position, position + below(players - position))
        }
        return Array(order[0..<count])
    }

    /// SplitMix64's output function: a bijective 64-bit finaliser.
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

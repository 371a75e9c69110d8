import Foundation

/// A deterministic random number generator keyed by a tuple of integers, e.g.
/// `(seed, exampleID, drawIndex)`.
///
/// The keys are hashed into a Philox-4x32-10 key and the high half of its counter; the low half
/// counts 128-bit blocks. The stream therefore depends only on the keys, not on the order in
/// which other streams were used, so noise for example 17 at step 3 is the same whether it is
/// drawn during training, during attribution, or on another machine. Normal draws are computed in
/// `Double` before rounding to `Float`, which keeps them reproducible across C libraries.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private let key: SIMD2<UInt32>
    private let stream: UInt64
    private var blockIndex: UInt64 = 0
    private var words: SIMD4<UInt32> = .zero
    private var wordIndex = 4  // 4: the current block is used up
    private var pendingNormal: Float?

    /// A generator whose stream is determined by `keys` (order and count matter).
    public init(keys: UInt64...) {
        self.init(keys: keys)
    }

    /// A generator whose stream is determined by `keys` (order and count matter).
    public init(keys: [UInt64]) {
        // Two independent hash chains give 128 bits of stream identity, so distinct key tuples
        // never share a stream in practice.
        var first: UInt64 = 0x6A09_E667_F3BC_C908 ^ UInt64(keys.count)
        var second: UInt64 = 0xBB67_AE85_84CA_A73B ^ UInt64(keys.count)
        for value in keys {
            first = Self.mix(first ^ value)
            second = Self.mix(second ^ (value << 32 | value >> 32))
        }
        key = SIMD2(UInt32(truncatingIfNeeded: first), UInt32(truncatingIfNeeded: first >> 32))
        stream = second
    }

    /// The next 32 random bits.
    public mutating func nextWord() -> UInt32 {
        if wordIndex == 4 {
            let counter = SIMD4<UInt32>(
                UInt32(truncatingIfNeeded: blockIndex), UInt32(truncatingIfNeeded: blockIndex >> 32),
                UInt32(truncatingIfNeeded: stream), UInt32(truncatingIfNeeded: stream >> 32))
            words = Philox.block(counter: counter, key: key)
            blockIndex &+= 1
            wordIndex = 0
        }
        defer { wordIndex += 1 }
        return words[wordIndex]
    }

    /// The next 64 random bits (two words), as `RandomNumberGenerator` requires.
    public mutating func next() -> UInt64 {
        let high = UInt64(nextWord())
        return high << 32 | UInt64(nextWord())
    }

    /// A uniform draw from `[0, 1)` with 24 random bits (every representable step of that grid).
    public mutating func nextUniform() -> Float {
        Float(nextWord() >> 8) * 0x1p-24
    }

    /// A standard normal draw (Box-Muller; each pair of words yields two draws, used in turn).
    public mutating func nextNormal() -> Float {
        if let pending = pendingNormal {
            pendingNormal = nil
            return pending
        }
        let (first, second) = nextNormalPair()
        pendingNormal = second
        return first
    }

    /// `count` standard normal draws, identical to calling ``nextNormal()`` `count` times.
    public mutating func normals(count: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            var index = 0
            if count > 0, let pending = pendingNormal {
                buffer[0] = pending
                pendingNormal = nil
                index = 1
            }
            while index + 1 < count {
                (buffer[index], buffer[index + 1]) = nextNormalPair()
                index += 2
            }
            if index < count { buffer[index] = nextNormal() }
            initialized = count
        }
    }

    /// Two independent standard normal draws from the next two words (Box-Muller).
    private mutating func nextNormalPair() -> (Float, Float) {
        let u1 = (Double(nextWord()) + 1) * 0x1p-32  // (0, 1]: the logarithm stays finite
        let u2 = Double(nextWord()) * 0x1p-32
        let radius = (-2 * log(u1)).squareRoot()
        let angle = 2 * Double.pi * u2
        return (Float(radius * cos(angle)), Float(radius * sin(angle)))
    }

    /// SplitMix64's finaliser: a bijection on 64-bit words with full avalanche.
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

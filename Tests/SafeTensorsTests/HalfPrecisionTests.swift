import SafeTensors
import Testing

/// Bit-level checks of the F16 and BF16 conversions against known patterns and, where the
/// platform has `Float16`, against the hardware conversion for every possible input.
@Suite struct HalfPrecisionTests {
    static let knownFloat16: [(UInt16, Float)] = [
        (0x0000, 0), (0x8000, -0.0), (0x3C00, 1), (0xC000, -2), (0x3555, 0.333251953125),
        (0x0001, 0x1p-24), (0x03FF, 1023 * 0x1p-24), (0x0400, 0x1p-14), (0x7BFF, 65504),
        (0x7C00, .infinity), (0xFC00, -.infinity),
    ]

    @Test(arguments: knownFloat16)
    func float16DecodesKnownPatterns(bits: UInt16, expected: Float) {
        let value = HalfPrecision.float(fromFloat16Bits: bits)
        #expect(value.bitPattern == expected.bitPattern, "0x\(String(bits, radix: 16)) -> \(value)")
        #expect(HalfPrecision.float16Bits(from: expected) == bits)
    }

    @Test func float16NaNStaysNaNWithSign() {
        #expect(HalfPrecision.float(fromFloat16Bits: 0x7E00).isNaN)
        #expect(HalfPrecision.float(fromFloat16Bits: 0x7C01).isNaN)
        #expect(HalfPrecision.float(fromFloat16Bits: 0xFE00).sign == .minus)
        let encoded = HalfPrecision.float16Bits(from: -Float.nan)
        #expect(encoded & 0x7C00 == 0x7C00 && encoded & 0x03FF != 0 && encoded & 0x8000 != 0)
        #expect(HalfPrecision.float16Bits(from: Float(bitPattern: 0x7F80_0001)) & 0x03FF != 0)
    }

    static let roundingCases: [(Float, UInt16)] = [
        (1 + 0x1p-11, 0x3C00),   // halfway, rounds down to even
        (1 + 3 * 0x1p-11, 0x3C02),              // halfway, rounds up to even
        ((1 + 0x1p-11).nextUp, 0x3C01),         // just above halfway
        (65519, 0x7BFF),                        // below the overflow threshold
        (65520, 0x7C00),                        // halfway to 2^16 rounds to even: infinity
        (1e10, 0x7C00), (-1e10, 0xFC00),
        (0x1p-25, 0x0000),                      // half the smallest subnormal ties to zero
        ((0x1p-25 as Float).nextUp, 0x0001),
        (3 * 0x1p-25, 0x0002),                  // 1.5 units ties to 2
        (0x1p-14 - 0x1p-25, 0x0400),            // largest subnormal rounds up into the normals
        (-1e-30, 0x8000), (Float.leastNonzeroMagnitude, 0x0000),
    ]

    @Test(arguments: roundingCases)
    func float16EncodingRoundsToNearestEven(value: Float, expected: UInt16) {
        #expect(HalfPrecision.float16Bits(from: value) == expected, "\(value)")
    }

    #if !(os(macOS) && arch(x86_64))
    @Test func float16DecodingMatchesHardwareForAllPatterns() {
        for bits in UInt16.min...UInt16.max {
            let ours = HalfPrecision.float(fromFloat16Bits: bits)
            let reference = Float(Float16(bitPattern: bits))
            if reference.isNaN {
                #expect(ours.isNaN)
            } else {
                #expect(ours.bitPattern == reference.bitPattern)
                #expect(HalfPrecision.float16Bits(from: ours) == bits)
            }
        }
    }

    @Test func float16EncodingMatchesHardwareOnPseudoRandomFloats() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<200_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let value = Float(bitPattern: UInt32(truncatingIfNeeded: state >> 32))
            guard !value.isNaN else { continue }
            #expect(HalfPrecision.float16Bits(from: value) == Float16(value).bitPattern, "\(value)")
        }
    }
    #endif

    static let knownBFloat16: [(UInt16, Float)] = [
        (0x3F80, 1), (0xC049, -3.140625), (0x8000, -0.0), (0x7F80, .infinity),
        (0xFF80, -.infinity), (0x0001, Float(bitPattern: 0x0001_0000)), (0x7F7F, Float(bitPattern: 0x7F7F_0000)),
    ]

    @Test(arguments: knownBFloat16)
    func bfloat16DecodesKnownPatterns(bits: UInt16, expected: Float) {
        #expect(HalfPrecision.float(fromBFloat16Bits: bits).bitPattern == expected.bitPattern)
    }

    @Test func bfloat16NaNStaysNaN() {
        #expect(HalfPrecision.float(fromBFloat16Bits: 0x7FC0).isNaN)
        #expect(HalfPrecision.float(fromBFloat16Bits: 0xFF81).isNaN)
    }
}

/// Bit-exact conversions between `Float` and the two 16-bit float formats safetensors files use.
///
/// Done on bit patterns rather than through `Float16`, which is missing on some platforms.
public enum HalfPrecision {
    /// The `Float` equal to an IEEE 754 binary16 value (exact: every binary16 value, including
    /// subnormals, infinities and NaN payloads, is representable as a `Float`).
    public static func float(fromFloat16Bits bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        var mantissa = UInt32(bits & 0x3FF)
        switch exponent {
        case 0x1F:
            return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13)
        case 0 where mantissa == 0:
            return Float(bitPattern: sign)
        case 0:
            // Subnormal mantissa·2⁻²⁴: shift the leading one into the implicit-bit position.
            var floatExponent: UInt32 = 127 - 14
            while mantissa & 0x400 == 0 {
                mantissa <<= 1
                floatExponent -= 1
            }
            return Float(bitPattern: sign | floatExponent << 23 | (mantissa & 0x3FF) << 13)
        default:
            return Float(bitPattern: sign | (exponent + 127 - 15) << 23 | mantissa << 13)
        }
    }

    /// The binary16 bit pattern nearest to `value`, ties to even; values beyond the binary16 range
    /// become infinities, NaN stays NaN (quiet, keeping the payload's top bits).
    public static func float16Bits(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16(truncatingIfNeeded: bits >> 16) & 0x8000
        let exponent = Int((bits >> 23) & 0xFF)
        let mantissa = bits & 0x7F_FFFF
        if exponent == 0xFF {
            return mantissa == 0 ? sign | 0x7C00 : sign | 0x7E00 | UInt16(truncatingIfNeeded: mantissa >> 13)
        }
        let halfExponent = exponent - 127 + 15
        if halfExponent >= 0x1F { return sign | 0x7C00 }
        if halfExponent <= 0 {
            // Below 2⁻¹⁵ even the largest rounding lands on zero (exactly 2⁻²⁵ ties to even, zero).
            guard halfExponent >= -10 else { return sign }
            let significand = mantissa | 0x80_0000
            let shift = UInt32(14 - halfExponent)
            return sign | UInt16(roundedShift(significand, by: shift))
        }
        // A carry out of the mantissa correctly increments the exponent (up to infinity).
        let truncated = UInt32(halfExponent) << 10 | mantissa >> 13
        return sign | UInt16(truncated + roundingIncrement(truncated, remainder: mantissa & 0x1FFF, halfway: 0x1000))
    }

    /// The `Float` equal to a bfloat16 value (exact: bfloat16 is the top half of a `Float`).
    public static func float(fromBFloat16Bits bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    private static func roundedShift(_ value: UInt32, by shift: UInt32) -> UInt32 {
        let truncated = value >> shift
        let remainder = value & ((1 << shift) - 1)
        return truncated + roundingIncrement(truncated, remainder: remainder, halfway: 1 << (shift - 1))
    }

    /// 1 when the dropped `remainder` rounds `truncated` up under round-half-to-even.
    private static func roundingIncrement(_ truncated: UInt32, remainder: UInt32, halfway: UInt32) -> UInt32 {
        remainder > halfway || (remainder == halfway && truncated & 1 == 1) ? 1 : 0
    }
}

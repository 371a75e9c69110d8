/// `e^x` for eight floats at once, within 2 ulp of the correctly rounded result.
///
/// Range reduction `x = n·ln 2 + r` with `|r| ≤ ln 2 / 2` (ln 2 split into an exactly
/// representable head and a small tail, so `r` is computed almost exactly without FMA), a degree-6
/// polynomial for `e^r` (Cephes' `expf` coefficients), then scaling by `2^n` built in the exponent
/// bits. `2^n` is applied as two factors `2^⌊n/2⌋ · 2^⌈n/2⌉` so that results near the ends of the
/// float range (overflow above ≈ 88.72, subnormals below ≈ −87.34) round correctly.
///
/// Inputs are clamped to `[−105, 88.72284]`, whose ends evaluate to exactly 0 and `+∞`, so larger
/// magnitudes saturate the same way; NaN propagates through the arithmetic.
///
/// Rounding to the nearest integer uses the "add 1.5·2²³" trick instead of a rounding
/// instruction, and `2^k` is assembled with integer shifts, so the function needs nothing beyond
/// the baseline x86-64 / ARM vector instructions.
@inline(__always)
func vectorExp(_ x: FloatVector) -> FloatVector {
    let (lowest, highest): (Float, Float) = (-105, 88.72284)
    // Clamped with selects (which compile to min/max instructions): the standard library's
    // `clamped` goes through unspecialised generics.
    let raised = x.replacing(with: lowest, where: x .< lowest)
    let clamped = raised.replacing(with: highest, where: raised .> highest)

    // n = round(x / ln 2): adding 1.5·2²³ leaves n in the low mantissa bits.
    let roundingShift: Float = 12_582_912
    let shifted = clamped * 1.442_695_04 + roundingShift
    let n = shifted - roundingShift
    let (ln2Head, ln2Tail): (Float, Float) = (0.693_359_375, -2.121_944_4e-4)
    var r = clamped - n * ln2Head
    r = r - n * ln2Tail

    var polynomial = FloatVector(repeating: 1.987_569_150_0e-4)
    polynomial = polynomial * r + 1.398_199_950_7e-3
    polynomial = polynomial * r + 8.333_345_230_1e-3
    polynomial = polynomial * r + 4.166_579_589_4e-2
    polynomial = polynomial * r + 1.666_666_545_9e-1
    polynomial = polynomial * r + 5.000_000_120_1e-1
    let expR = polynomial * (r * r) + r + 1

    let integer = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- Int32(bitPattern: roundingShift.bitPattern)
    let half = integer &>> 1
    return expR * powerOfTwo(half) * powerOfTwo(integer &- half)
}

/// `2^k` for integer `k` in the normal exponent range `-126...127`, from its bit pattern.
@inline(__always)
private func powerOfTwo(_ k: SIMD8<Int32>) -> FloatVector {
    unsafeBitCast((k &+ 127) &<< 23, to: FloatVector.self)
}

/// The logistic sigmoid `1 / (1 + e^−x)` of eight floats, saturating to exactly 0 and 1.
@inline(__always)
func vectorSigmoid(_ x: FloatVector) -> FloatVector {
    1 / (1 + vectorExp(-x))
}

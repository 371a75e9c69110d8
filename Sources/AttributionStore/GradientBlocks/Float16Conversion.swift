/// Conversions between `Float` and IEEE 754 binary16 bit patterns, through Swift's `Float16`
/// (round to nearest, ties to even; out-of-range values become infinities).
public enum Float16Conversion {
    /// The binary16 bit pattern nearest to `value`.
    public static func halfBits(_ value: Float) -> UInt16 {
        Float16(value).bitPattern
    }

    /// The `Float` equal to a binary16 bit pattern (exact).
    public static func float(halfBits: UInt16) -> Float {
        Float(Float16(bitPattern: halfBits))
    }

    /// Writes the binary16 patterns of `source` into `destination` (little-endian, any
    /// alignment), which must hold at least `2 × source.count` bytes.
    public static func encode(_ source: UnsafeBufferPointer<Float>, into destination: UnsafeMutableRawBufferPointer) {
        precondition(destination.count >= source.count * 2, "destination too small for \(source.count) halves")
        for (index, value) in source.enumerated() {
            destination.storeBytes(of: halfBits(value).littleEndian, toByteOffset: index * 2, as: UInt16.self)
        }
    }

    /// Reads `destination.count` little-endian binary16 patterns from `source` (any alignment).
    public static func decode(_ source: UnsafeRawBufferPointer, into destination: UnsafeMutableBufferPointer<Float>) {
        precondition(source.count >= destination.count * 2, "source too small for \(destination.count) halves")
        for index in destination.indices {
            let bits = source.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self)
            destination[index] = float(halfBits: UInt16(littleEndian: bits))
        }
    }
}

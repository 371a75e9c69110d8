@testable import Attribution
import Testing

@Suite struct ScoringHalfConversionTests {
    private func convert(_ bits: [UInt16], threads: Int) -> [Float] {
        // A NaN payload no conversion produces (its low 13 bits are set), marking unwritten slots.
        var output = [Float](repeating: Float(bitPattern: 0x7FC0_1234), count: bits.count)
        bits.withUnsafeBytes { source in
            output.withUnsafeMutableBufferPointer { destination in
                HalfToFloatConversion.convert(source.baseAddress!, into: destination.baseAddress!, count: bits.count, threads: threads)
            }
        }
        return output
    }

    @Test func everyBitPatternConvertsExactly() {
        let patterns = (0...UInt16.max).map { $0 }
        let converted = convert(patterns, threads: 2)  // large enough to take the parallel path
        for (bits, value) in zip(patterns, converted) {
            let reference = Float(Float16(bitPattern: bits))
            if reference.isNaN {
                #expect(value.isNaN && value.sign == reference.sign, "bits \(bits)")
            } else {
                #expect(value.bitPattern == reference.bitPattern, "bits \(bits)")
            }
        }
    }

    @Test(arguments: [(0, 1), (1, 1), (13, 2), (70_001, 3), (70_001, 2)])
    func everyValueIsWrittenWhateverTheSplit(count: Int, threads: Int) {
        let patterns: [UInt16] = (0..<count).map { UInt16(truncatingIfNeeded: $0 &* 40_503) }
        #expect(convert(patterns, threads: threads).map(\.bitPattern)
            == patterns.map { HalfToFloatConversion.float(fromHalfBits: $0).bitPattern })
    }
}

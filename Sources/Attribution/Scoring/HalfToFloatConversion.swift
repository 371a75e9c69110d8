import Dispatch

/// Converts IEEE 754 binary16 bit patterns to Float32 exactly (zeros, subnormals, infinities and
/// NaNs included).
///
/// Written as a branch-free loop on integer bit patterns, which the optimiser vectorises (SSE2
/// already: four values per step), rather than through `Float16` (missing on some platforms, and
/// a library call per value where the CPU baseline lacks F16C). Swift's generic `SIMD` lane
/// conversions and `replacing(with:where:)` were measured twenty times slower than this loop. The
/// renormalisation of subnormals subtracts a power of two instead of multiplying by one, so no
/// Float32 subnormal is ever an operand (those are slow on some CPUs).
enum HalfToFloatConversion {
    /// Below this many values a conversion stays on the calling thread.
    static let parallelThreshold = 1 << 16

    /// Converts `count` values from `source` (any alignment) into `destination`, split across
    /// `threads` workers when the work is large enough to pay for the hand-off.
    static func convert(_ source: UnsafeRawPointer, into destination: UnsafeMutablePointer<Float>, count: Int, threads: Int) {
        let workers = count >= parallelThreshold ? max(1, threads) : 1
        if workers == 1 {
            convertSerially(source, into: destination, count: count)
            return
        }
        let task = ConversionTask(source: source, destination: destination)
        let share = (count / workers + 15) & ~15  // whole cache lines of output per worker
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let start = min(count, worker * share)
            let end = worker == workers - 1 ? count : min(count, start + share)
            task.run(range: start..<end)
        }
    }

    static func convertSerially(_ source: UnsafeRawPointer, into destination: UnsafeMutablePointer<Float>, count: Int) {
        for index in 0..<count {
            destination[index] = float(fromHalfBits: source.loadUnaligned(fromByteOffset: 2 * index, as: UInt16.self))
        }
    }

    /// One binary16 value as Float32.
    @inline(__always)
    static func float(fromHalfBits half: UInt16) -> Float {
        let word = UInt32(half)
        let magnitude = (word & 0x7FFF) &<< 13              // exponent and mantissa, in place
        let exponent = magnitude & 0x0F80_0000
        let rebiased = magnitude &+ 0x3800_0000             // exponent bias 15 → 127
        let special = rebiased &+ 0x3800_0000               // Inf/NaN: exponent all ones
        // Zero/subnormal: m·2⁻²⁴ = (1 + m/1024)·2⁻¹⁴ − 2⁻¹⁴, computed on normal floats.
        let small = (Float(bitPattern: rebiased &+ 0x0080_0000) - 0x1p-14).bitPattern
        let bits = exponent == 0 ? small : (exponent == 0x0F80_0000 ? special : rebiased)
        return Float(bitPattern: bits | (word & 0x8000) &<< 16)
    }
}

/// One conversion's pointers, handed to worker threads that write disjoint ranges.
private struct ConversionTask: @unchecked Sendable {
    let source: UnsafeRawPointer
    let destination: UnsafeMutablePointer<Float>

    func run(range: Range<Int>) {
        guard !range.isEmpty else { return }
        HalfToFloatConversion.convertSerially(
            source + 2 * range.lowerBound, into: destination + range.lowerBound, count: range.count)
    }
}

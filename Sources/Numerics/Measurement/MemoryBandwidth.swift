import Dispatch

/// Measures this machine's sequential memory-read bandwidth, the yardstick that scans over
/// stored gradients (memory-bound for few queries) report their throughput against.
public enum MemoryBandwidth {
    /// Reads a `bytes`-long buffer (make it much larger than the last-level cache) with a
    /// vectorised sum, split into `threads` contiguous parts read concurrently; repeats for at
    /// least `minimumSeconds` (and at least three timed passes) after one warm-up pass, and
    /// returns the best pass in GB/s (10⁹ bytes per second).
    public static func measure(bytes: Int = 1 << 30, threads: Int = 1, minimumSeconds: Double = 1.0) -> Double {
        let workers = max(1, threads)
        let stride = MemoryLayout<SIMD16<UInt32>>.size * 4  // bytes per unrolled step
        let part = max(stride, bytes / workers / stride * stride)
        let total = part * workers
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: total, alignment: 64)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 1, count: total)  // faults every page in
        let checksums = UnsafeMutablePointer<UInt32>.allocate(capacity: workers)
        checksums.initialize(repeating: 0, count: workers)
        defer { checksums.deallocate() }
        let pass = ReadPass(buffer: UnsafeRawPointer(buffer), part: part, checksums: checksums)

        var best = 0.0
        var elapsedTotal = 0.0
        var repetitions = 0
        while elapsedTotal < minimumSeconds || repetitions < 4 {
            let seconds = timed { DispatchQueue.concurrentPerform(iterations: workers) { pass.run(worker: $0) } }
            if repetitions > 0 { best = max(best, Double(total) / seconds / 1e9) }  // first pass is warm-up
            elapsedTotal += seconds
            repetitions += 1
        }
        return best
    }
}

/// One worker's share of a bandwidth pass: a wrapping integer sum of its part, sixteen lanes at
/// a time with four independent accumulators, written out so the reads cannot be elided.
private struct ReadPass: @unchecked Sendable {
    let buffer: UnsafeRawPointer
    let part: Int
    let checksums: UnsafeMutablePointer<UInt32>

    func run(worker: Int) {
        let start = buffer + worker * part
        let vector = MemoryLayout<SIMD16<UInt32>>.size
        var a = SIMD16<UInt32>(), b = SIMD16<UInt32>(), c = SIMD16<UInt32>(), d = SIMD16<UInt32>()
        var offset = 0
        while offset < part {
            a &+= start.load(fromByteOffset: offset, as: SIMD16<UInt32>.self)
            b &+= start.load(fromByteOffset: offset + vector, as: SIMD16<UInt32>.self)
            c &+= start.load(fromByteOffset: offset + 2 * vector, as: SIMD16<UInt32>.self)
            d &+= start.load(fromByteOffset: offset + 3 * vector, as: SIMD16<UInt32>.self)
            offset += 4 * vector
        }
        checksums[worker] = (a &+ b &+ c &+ d).wrappedSum()
    }
}

import Foundation

/// Measures this machine's single-precision GEMM throughput, the yardstick that gradient
/// benchmarks report their achieved GFLOP/s against.
public enum SgemmPeak {
    /// Runs square `size × size` products with the current ``BLASThreads`` setting for at least
    /// `minimumSeconds` after one warm-up product, and returns the best GFLOP/s of the repetitions.
    public static func measure(size: Int = 1024, minimumSeconds: Double = 1.0) -> Double {
        var generator = SeededGenerator(keys: 0x5eed)
        let a = Tensor(shape: [size, size], scalars: generator.normals(count: size * size))
        let b = Tensor(shape: [size, size], scalars: generator.normals(count: size * size))
        var c = Tensor(shape: [size, size])
        let flops = 2.0 * Double(size) * Double(size) * Double(size)
        var best = 0.0
        var elapsedTotal = 0.0
        var repetitions = 0
        while elapsedTotal < minimumSeconds || repetitions < 3 {
            let seconds = timed { multiply(a, b, into: &c, size: size) }
            if repetitions > 0 { best = max(best, flops / seconds / 1e9) }  // first run is warm-up
            elapsedTotal += seconds
            repetitions += 1
        }
        return best
    }

    private static func multiply(_ a: Tensor, _ b: Tensor, into c: inout Tensor, size: Int) {
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                c.scalars.withUnsafeMutableBufferPointer { pc in
                    sgemm(.none, .none, m: size, n: size, k: size, a: pa.baseAddress!, lda: size,
                          b: pb.baseAddress!, ldb: size, c: pc.baseAddress!, ldc: size)
                }
            }
        }
    }
}

/// Wall-clock seconds taken by `body`, on the monotonic clock.
public func timed(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

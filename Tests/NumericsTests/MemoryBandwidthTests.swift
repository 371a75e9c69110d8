import Numerics
import Testing

@Suite struct MemoryBandwidthTests {
    @Test func measuresAPositiveFinitePlausibleRate() {
        let rate = MemoryBandwidth.measure(bytes: 64 << 20, threads: 2, minimumSeconds: 0.05)
        #expect(rate.isFinite)
        #expect(rate > 0.05, "even a debug build reads faster than 50 MB/s")
        #expect(rate < 10_000, "no machine reads 10 TB/s")
    }

    @Test func toleratesMoreThreadsThanTheBufferSplitsInto() {
        let rate = MemoryBandwidth.measure(bytes: 1000, threads: 3, minimumSeconds: 0)
        #expect(rate.isFinite && rate > 0)
    }
}

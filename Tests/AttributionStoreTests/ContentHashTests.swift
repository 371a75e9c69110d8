import AttributionStore
import Testing

@Suite struct ContentHashTests {
    @Test func fnv1aMatchesPublishedVectors() {
        #expect(FNV1a64.hash([]) == 0xCBF2_9CE4_8422_2325)
        #expect(FNV1a64.hash(Array("a".utf8)) == 0xAF63_DC4C_8601_EC8C)
        #expect(FNV1a64.hash(Array("foobar".utf8)) == 0x8594_4171_F739_67E8)
    }

    @Test func incrementalUpdatesEqualOneShot() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 31) }
        var hasher = FNV1a64()
        hasher.update(Array(bytes[..<123]))
        hasher.update(Array(bytes[123...]))
        #expect(hasher.value == FNV1a64.hash(bytes))
    }
}

@testable import AttributionStore
import LMDB
import Testing

@Suite struct ProbeStoreTests {
    static let time = Timestamp(nanosecondsSinceEpoch: 1_700_000_000_123_456_789)

    static func probe(_ name: String, images: Int = 2) -> ProbeRecord {
        let shape = [images, 1, 2, 2]
        return ProbeRecord(name: name, shape: shape, values: (0..<(images * 4)).map { Float($0) / 8 - 0.5 }, topK: 5, addedAt: time)
    }

    static func history(_ name: String, step: UInt64, payload: [UInt8] = [1, 2, 3]) -> ProbeHistoryRecord {
        ProbeHistoryRecord(name: name, step: step, recordedAt: Timestamp(nanosecondsSinceEpoch: Int64(step)), payload: payload)
    }

    @Test func probesRoundTripByNameAndAreCounted() throws {
        try StoreFixture.withStore { store in
            try store.write { transaction in
                for name in ["zebra", "a", "ab"] { try store.putProbe(Self.probe(name), in: transaction) }
            }
            try store.read { (transaction: borrowing ReadTransaction) throws in
                #expect(try store.probes(in: transaction).map(\.name) == ["a", "ab", "zebra"])
                #expect(try store.probeCount(in: transaction) == 3)
                #expect(try store.probe(named: "ab", in: transaction) == Self.probe("ab"))
                #expect(try store.probe(named: "b", in: transaction) == nil)
                #expect(try store.probe(named: "", in: transaction) == nil)
            }
        }
    }

    @Test func historyIsPerProbeByStepAndGoesWithItsProbe() throws {
        try StoreFixture.withStore { store in
            try store.write { transaction in
                for name in ["a", "ab"] {
                    try store.putProbe(Self.probe(name), in: transaction)
                    for step: UInt64 in [300, 2, 1000] { try store.putProbeHistory(Self.history(name, step: step), in: transaction) }
                }
                try store.putProbeHistory(Self.history("a", step: 2, payload: [9]), in: transaction)
            }
            try store.read { (transaction: borrowing ReadTransaction) throws in
                let history = try store.probeHistory(named: "a", in: transaction)
                #expect(history.map(\.step) == [2, 300, 1000] && history[0].payload == [9] && history[1] == Self.history("a", step: 300))
                #expect(try store.lastProbeHistoryStep(named: "a", in: transaction) == 1000)
                #expect(try store.lastProbeHistoryStep(named: "b", in: transaction) == nil)
            }
            #expect(try store.write { try store.removeProbe(named: "a", in: $0) })
            #expect(try !store.write { try store.removeProbe(named: "a", in: $0) })
            try store.read { (transaction: borrowing ReadTransaction) throws in
                #expect(try store.probeHistory(named: "a", in: transaction).isEmpty)
                #expect(try store.probeHistory(named: "ab", in: transaction).map(\.step) == [2, 300, 1000])
                #expect(try store.probes(in: transaction).map(\.name) == ["ab"])
            }
        }
    }

    @Test func recordsDecodeWhatTheyEncodeAndRefuseDamage() throws {
        let probe = Self.probe("πρόβα", images: 3)
        #expect(try ProbeRecord.decode(key: probe.key, value: probe.encodedValue()) == probe)
        let history = Self.history("πρόβα", step: 42, payload: Array(0...255))
        #expect(try ProbeHistoryRecord.decode(key: history.key, value: history.encodedValue()) == history)

        let value = probe.encodedValue()
        #expect(throws: AttributionStoreError.self) { try ProbeRecord.decode(key: probe.key, value: Array(value.dropLast(5))) }
        var huge = value
        huge.replaceSubrange(2..<10, with: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])  // first dimension ≈ Int.max
        #expect(throws: AttributionStoreError.self) { try ProbeRecord.decode(key: probe.key, value: huge) }
        let historyValue = history.encodedValue()
        #expect(throws: AttributionStoreError.self) {
            try ProbeHistoryRecord.decode(key: history.key, value: Array(historyValue.dropLast()))
        }
        #expect(throws: AttributionStoreError.self) { try ProbeHistoryRecord.decode(key: Array(history.key.dropLast()), value: historyValue) }
    }
}

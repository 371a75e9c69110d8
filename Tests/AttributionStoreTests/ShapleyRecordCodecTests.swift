@testable import AttributionStore
import Testing

/// Every Shapley record round-trips, and truncated or garbled bytes are refused with a typed
/// error naming the record.
@Suite struct ShapleyRecordCodecTests {
    static let valuation = ShapleyFixtures.valuation("held_out_loss", "influence", step: 1000)
    static let game = ShapleyFixtures.game("fp-π", samplers: [ShapleyFixtures.sampler, .init(sampling: "", seed: 0, samples: 0, sums: [], squareSums: [])])
    static let coalition = ShapleyCoalitionValueRecord(fingerprint: "fp-π", bits: 0b101, values: [0.5, -1e9])
    static let job = ShapleyFixtures.job(number: 42, state: .failed, maxCoalitions: 64, error: "NaN in coalition 5")

    /// Decodes `value` under `key` as an `R`, discarding it.
    static func decode<R: StoredRecord>(_: R.Type, key: [UInt8], value: [UInt8]) throws {
        _ = try R.decode(key: key, value: value)
    }

    /// Checks that `record` round-trips and that every cut of its key or value, trailing bytes
    /// and a newer version are refused with ``AttributionStoreError``.
    static func checkEncoding<R: StoredRecord & Equatable>(of record: R) throws {
        let key = record.key
        let value = record.encodedValue()
        #expect(try R.decode(key: key, value: value) == record, "\(R.recordName)")
        for length in 0..<value.count {
            #expect(throws: AttributionStoreError.self, "\(R.recordName) value cut at \(length)") {
                try decode(R.self, key: key, value: Array(value.prefix(length)))
            }
        }
        for length in 0..<key.count {
            #expect(throws: AttributionStoreError.self, "\(R.recordName) key cut at \(length)") {
                try decode(R.self, key: Array(key.prefix(length)), value: value)
            }
        }
        let trailing = #expect(throws: AttributionStoreError.self) { try decode(R.self, key: key, value: value + [0]) }
        #expect(trailing?.description.contains("unexpected bytes") == true, "\(R.recordName)")
        var newer = value
        newer[0] = 2
        let version = #expect(throws: AttributionStoreError.self) { try decode(R.self, key: key, value: newer) }
        #expect(version == .unsupportedRecordVersion(record: R.recordName, version: 2, newestSupported: 1))
    }

    @Test func everyShapleyRecordRoundTripsAndRefusesTruncation() throws {
        try Self.checkEncoding(of: Self.valuation)
        try Self.checkEncoding(of: ShapleyValuationRecord(
            property: "", higherIsBetter: true, estimator: "", sampling: "exact", step: .max, computedAt: Timestamp(nanosecondsSinceEpoch: -1),
            grandValue: 0, emptyValue: 0, coalitions: 0, coalitionsReused: 0, targetStandardError: 0, reachedTarget: true, contributors: []
        ))
        try Self.checkEncoding(of: Self.game)
        try Self.checkEncoding(of: ShapleyFixtures.game("sixty-four", players: (0..<64).map { Int64($0) * 1_000_000_007 }))
        try Self.checkEncoding(of: Self.coalition)
        try Self.checkEncoding(of: ShapleyCoalitionValueRecord(fingerprint: "g", bits: .max, values: []))
        try Self.checkEncoding(of: Self.job)
        try Self.checkEncoding(of: ShapleyFixtures.job(number: .max, state: .queued, maxCoalitions: nil, error: nil))
    }

    @Test func garbledFieldsAreNamed() throws {
        var badState = Self.job.encodedValue()
        // The state byte follows maxCoalitions (presence byte and 8 bytes) and requestedAt.
        let stateOffset = badState.count - (1 + 4 + Self.job.lastError!.utf8.count) - 1
        #expect(badState[stateOffset] == ShapleyJobRecord.State.failed.rawValue)
        badState[stateOffset] = 9
        let stateError = #expect(throws: AttributionStoreError.self) {
            try ShapleyJobRecord.decode(key: Self.job.key, value: badState)
        }
        #expect(stateError?.description.contains("shapleyJob record is corrupt") == true)
        #expect(stateError?.description.contains("unknown Shapley job state 9") == true)

        var badBool = Self.valuation.encodedValue()
        badBool[1] = 2  // higherIsBetter
        let boolError = #expect(throws: AttributionStoreError.self) {
            try ShapleyValuationRecord.decode(key: Self.valuation.key, value: badBool)
        }
        #expect(boolError?.description.contains("boolean byte is 2") == true)

        var badKey = Self.valuation.key
        badKey[4] = 0xFF  // the property name's first byte
        let keyError = #expect(throws: AttributionStoreError.self) {
            try ShapleyValuationRecord.decode(key: badKey, value: Self.valuation.encodedValue())
        }
        #expect(keyError?.description.contains("key: a string is not valid UTF-8") == true)
    }

    @Test func hugeDeclaredCountsAreRefusedBeforeAllocating() throws {
        var contributors = Self.valuation.encodedValue()
        // The contributor count sits 2 × 32 bytes before the end.
        let countOffset = contributors.count - 2 * 32 - 8
        #expect(contributors[countOffset] == 2)
        for index in 0..<8 { contributors[countOffset + index] = 0xFF }
        let contributorError = #expect(throws: AttributionStoreError.self) {
            try ShapleyValuationRecord.decode(key: Self.valuation.key, value: contributors)
        }
        #expect(contributorError?.description.contains("contributors cannot fit") == true)

        var coalition = Self.coalition.encodedValue()
        coalition.replaceSubrange(1..<9, with: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F])
        let valuesError = #expect(throws: AttributionStoreError.self) {
            try ShapleyCoalitionValueRecord.decode(key: Self.coalition.key, value: coalition)
        }
        guard case .truncatedRecord = valuesError else { Issue.record("\(String(describing: valuesError))"); return }

        // A game's player count follows the version, the estimator name and the step.
        let playersOffset = 1 + 4 + Self.game.estimator.utf8.count + 8
        var tooManyPlayers = ShapleyFixtures.game("g", players: Array(repeating: 1, count: 65 - 1)).encodedValue()
        tooManyPlayers[playersOffset] = 65
        tooManyPlayers.insert(contentsOf: [UInt8](repeating: 0, count: 8), at: playersOffset + 8)
        let playersError = #expect(throws: AttributionStoreError.self) {
            try ShapleyGameRecord.decode(key: StoreKey.shapleyGame("g"), value: tooManyPlayers)
        }
        #expect(playersError?.description.contains("65 players; a game has at most 64") == true)
    }
}

import AttributionStore
import LMDB
import Testing

/// Games keep their coalitions' values one entry each; values must fit their game, and stale
/// games go with their coalitions.
@Suite struct ShapleyGameStoreTests {
    static func values(of store: AttributionStore, _ fingerprint: String) throws -> [UInt64: [Double]] {
        let entries = try store.read { try store.shapleyCoalitionValues(fingerprint: fingerprint, in: $0) }
        #expect(entries.map(\.bits) == entries.map(\.bits).sorted(), "coalitions come back by bits")
        return Dictionary(uniqueKeysWithValues: entries.map { ($0.bits, $0.values) })
    }

    @Test func coalitionValuesAreKeptPerGameAndSurviveTheGamesUpdates() throws {
        try StoreFixture.withStore { store in
            // "g" is a prefix of "g2": their coalitions must not mix.
            try store.write { transaction in
                try store.putShapleyGame(ShapleyFixtures.game("g2"), in: transaction)
                try store.putShapleyGame(ShapleyFixtures.game("g"), in: transaction)
                for bits: UInt64 in [7, 0, 5] {
                    try store.putShapleyCoalitionValue(fingerprint: "g", bits: bits, values: [Double(bits), -1], in: transaction)
                }
                try store.putShapleyCoalitionValue(fingerprint: "g2", bits: 1, values: [0.25, 0.5], in: transaction)
            }
            try store.write { try store.putShapleyCoalitionValue(fingerprint: "g", bits: 5, values: [50, -5], in: $0) }
            #expect(try Self.values(of: store, "g") == [0: [0, -1], 5: [50, -5], 7: [7, -1]])
            #expect(try Self.values(of: store, "g2") == [1: [0.25, 0.5]])
            #expect(try Self.values(of: store, "g3").isEmpty)

            var updated = ShapleyFixtures.game("g", samplers: [ShapleyFixtures.sampler])
            updated.updatedAt = Timestamp(nanosecondsSinceEpoch: ShapleyFixtures.time.nanosecondsSinceEpoch + 1)
            try store.write { try store.putShapleyGame(updated, in: $0) }
            try store.read { (transaction: borrowing ReadTransaction) throws in
                #expect(try store.shapleyGame(fingerprint: "g", in: transaction) == updated)
                #expect(try store.shapleyGame(fingerprint: "missing", in: transaction) == nil)
                #expect(try store.shapleyGames(in: transaction).map(\.fingerprint) == ["g", "g2"])
            }
            #expect(try Self.values(of: store, "g").count == 3)
        }
    }

    @Test func valuesThatDoNotFitTheirGameAreRefused() throws {
        try StoreFixture.withStore { store in
            try store.write { transaction in
                try store.putShapleyGame(ShapleyFixtures.game("three"), in: transaction)
                try store.putShapleyGame(ShapleyFixtures.game("full", players: (0..<64).map(Int64.init)), in: transaction)
                try store.putShapleyCoalitionValue(fingerprint: "full", bits: .max, values: [1, 2], in: transaction)
                try store.putShapleyCoalitionValue(fingerprint: "three", bits: 0b111, values: [1, 2], in: transaction)
            }
            let missing = #expect(throws: AttributionStoreError.self) {
                try store.write { try store.putShapleyCoalitionValue(fingerprint: "four", bits: 1, values: [1, 2], in: $0) }
            }
            #expect(missing == .shapleyGameNotFound(fingerprint: "four"))
            let beyond = #expect(throws: AttributionStoreError.self) {
                try store.write { try store.putShapleyCoalitionValue(fingerprint: "three", bits: 0b1000, values: [1, 2], in: $0) }
            }
            #expect(beyond?.description.contains("coalition bits 8 name a player beyond its 3") == true)
            let count = #expect(throws: AttributionStoreError.self) {
                try store.write { try store.putShapleyCoalitionValue(fingerprint: "three", bits: 1, values: [1], in: $0) }
            }
            #expect(count == .shapleyGameMismatch(fingerprint: "three", reason: "1 values given for its 2 properties"))
            let redefined = #expect(throws: AttributionStoreError.self) {
                try store.write { try store.putShapleyGame(ShapleyFixtures.game("three", players: [4, -1]), in: $0) }
            }
            #expect(redefined?.description.contains("Shapley game \"three\": it is stored with players [4, -1, 9]") == true)
            #expect(try Self.values(of: store, "three") == [0b111: [1, 2]])
            #expect(try Self.values(of: store, "full") == [.max: [1, 2]])
        }
    }

    @Test func removingStaleGamesDeletesTheirCoalitionsOnly() throws {
        try StoreFixture.withStore { store in
            try store.write { transaction in
                for fingerprint in ["keep", "old-a", "old", "keep-too"] {
                    try store.putShapleyGame(ShapleyFixtures.game(fingerprint), in: transaction)
                    for bits: UInt64 in [0, 3, 6] {
                        try store.putShapleyCoalitionValue(fingerprint: fingerprint, bits: bits, values: [1, 2], in: transaction)
                    }
                }
            }
            let removed = try store.write { try store.removeShapleyGames(keeping: ["keep", "keep-too", "never-stored"], in: $0) }
            #expect(removed == ["old", "old-a"])
            try store.read { (transaction: borrowing ReadTransaction) throws in
                #expect(try store.shapleyGames(in: transaction).map(\.fingerprint).sorted() == ["keep", "keep-too"])
                #expect(try store.shapleyCoalitionValues(fingerprint: "old", in: transaction).isEmpty)
                #expect(try store.shapleyCoalitionValues(fingerprint: "old-a", in: transaction).isEmpty)
                #expect(try store.shapleyCoalitionValues(fingerprint: "keep", in: transaction).map(\.bits) == [0, 3, 6])
                #expect(try store.shapleyCoalitionValues(fingerprint: "keep-too", in: transaction).count == 3)
            }
            #expect(try store.write { try store.removeShapleyGames(keeping: ["keep", "keep-too"], in: $0) }.isEmpty)
            #expect(try store.write { try store.removeShapleyGames(keeping: [], in: $0) } == ["keep", "keep-too"])
            #expect(try store.read { try store.shapleyGames(in: $0) }.isEmpty)
        }
    }
}

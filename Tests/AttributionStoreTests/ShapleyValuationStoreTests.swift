import AttributionStore
import LMDB
import Testing

/// Valuations are kept per (property, estimator, step), filtered, ordered by name and step,
/// and the latest of each property and estimator is found.
@Suite struct ShapleyValuationStoreTests {
    /// Names of different lengths, so key order (length first) differs from name order.
    static let stored: [(String, String, UInt64)] = [
        ("kernel_distance", "retraining", 1000), ("held_out_loss", "influence", 20), ("held_out_loss", "influence", 300),
        ("class_diversity", "sparsified_fine_tuning", 300), ("held_out_loss", "retraining", 5), ("a", "influence", 70_000),
        ("held_out_loss", "influence", 1000),
    ]

    static func withValuations(_ body: (AttributionStore) throws -> Void) throws {
        try StoreFixture.withStore { store in
            try store.write { transaction in
                for (property, estimator, step) in Self.stored {
                    try store.putShapleyValuation(ShapleyFixtures.valuation(property, estimator, step: step), in: transaction)
                }
            }
            try body(store)
        }
    }

    static func keys(_ records: [ShapleyValuationRecord]) -> [String] {
        records.map { "\($0.property)/\($0.estimator)/\($0.step)" }
    }

    @Test func everyValuationComesBackWholeByPropertyEstimatorAndStep() throws {
        try Self.withValuations { store in
            let all = try store.read { try store.shapleyValuations(in: $0) }
            #expect(Self.keys(all) == [
                "a/influence/70000", "class_diversity/sparsified_fine_tuning/300", "held_out_loss/influence/20",
                "held_out_loss/influence/300", "held_out_loss/influence/1000", "held_out_loss/retraining/5",
                "kernel_distance/retraining/1000",
            ])
            #expect(all[1] == ShapleyFixtures.valuation("class_diversity", "sparsified_fine_tuning", step: 300))
        }
    }

    @Test func filtersNarrowByPropertyEstimatorAndStep() throws {
        try Self.withValuations { store in
            try store.read { (transaction: borrowing ReadTransaction) throws in
                #expect(Self.keys(try store.shapleyValuations(property: "held_out_loss", in: transaction)) == [
                    "held_out_loss/influence/20", "held_out_loss/influence/300", "held_out_loss/influence/1000",
                    "held_out_loss/retraining/5",
                ])
                #expect(Self.keys(try store.shapleyValuations(estimator: "retraining", in: transaction)) == [
                    "held_out_loss/retraining/5", "kernel_distance/retraining/1000",
                ])
                #expect(Self.keys(try store.shapleyValuations(step: 300, in: transaction)) == [
                    "class_diversity/sparsified_fine_tuning/300", "held_out_loss/influence/300",
                ])
                #expect(Self.keys(try store.shapleyValuations(property: "held_out_loss", estimator: "influence", step: 300,
                                                              in: transaction)) == ["held_out_loss/influence/300"])
                #expect(try store.shapleyValuations(property: "held_out", in: transaction).isEmpty)
                #expect(try store.shapleyValuations(property: "a", estimator: "retraining", in: transaction).isEmpty)
            }
        }
    }

    @Test func latestIsTheLargestStepOfEachPropertyAndEstimator() throws {
        try Self.withValuations { store in
            try store.read { (transaction: borrowing ReadTransaction) throws in
                #expect(Self.keys(try store.latestShapleyValuations(in: transaction)) == [
                    "a/influence/70000", "class_diversity/sparsified_fine_tuning/300", "held_out_loss/influence/1000",
                    "held_out_loss/retraining/5", "kernel_distance/retraining/1000",
                ])
                #expect(Self.keys(try store.latestShapleyValuations(property: "held_out_loss", in: transaction)) == [
                    "held_out_loss/influence/1000", "held_out_loss/retraining/5",
                ])
                #expect(Self.keys(try store.latestShapleyValuations(estimator: "influence", in: transaction)) == [
                    "a/influence/70000", "held_out_loss/influence/1000",
                ])
                #expect(try store.latestShapleyValuations(property: "missing", in: transaction).isEmpty)
            }
        }
    }

    @Test func aValuationOfTheSameKeyIsReplaced() throws {
        try Self.withValuations { store in
            let replacement = ShapleyFixtures.valuation("held_out_loss", "influence", step: 300, grand: 9)
            try store.write { try store.putShapleyValuation(replacement, in: $0) }
            let found = try store.read { try store.shapleyValuations(property: "held_out_loss", estimator: "influence", step: 300, in: $0) }
            #expect(found == [replacement])
            #expect(try store.read { try store.shapleyValuations(in: $0) }.count == Self.stored.count)
        }
    }
}

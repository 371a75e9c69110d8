import AttributionStore

/// Sample Shapley records shared by the Shapley store tests.
enum ShapleyFixtures {
    static let time = Timestamp(nanosecondsSinceEpoch: 1_764_000_000_987_654_321)

    static func valuation(_ property: String, _ estimator: String, step: UInt64, grand: Double = 1.5) -> ShapleyValuationRecord {
        ShapleyValuationRecord(
            property: property, higherIsBetter: property == "class_diversity", estimator: estimator, sampling: "kernel",
            step: step, computedAt: Timestamp(nanosecondsSinceEpoch: Int64(step)), grandValue: grand, emptyValue: -0.25,
            coalitions: 40, coalitionsReused: 12, targetStandardError: 0.05, reachedTarget: step.isMultiple(of: 2),
            contributors: [
                .init(id: -7, examples: 30, value: 1.0, standardError: 0.01),
                .init(id: 3, examples: 0, value: -.infinity, standardError: .greatestFiniteMagnitude),
            ]
        )
    }

    static let sampler = ShapleySamplerRecord(
        sampling: "permutation", seed: .max, samples: 17, sums: [1, -2.5, .pi], squareSums: [0, -0.0, 4, 1e-300]
    )

    static func game(_ fingerprint: String, players: [Int64] = [4, -1, 9], samplers: [ShapleySamplerRecord] = []) -> ShapleyGameRecord {
        ShapleyGameRecord(
            fingerprint: fingerprint, estimator: "sparsified_fine_tuning", step: 2000, players: players,
            properties: ["held_out_loss", "kernel_distance"], createdAt: time, updatedAt: time, samplerStates: samplers
        )
    }

    static func job(number: UInt64, state: ShapleyJobRecord.State, maxCoalitions: Int?, error: String?) -> ShapleyJobRecord {
        ShapleyJobRecord(
            number: number, properties: ["held_out_loss", "class_diversity"], estimator: "retraining", sampling: "auto",
            targetStandardError: 0.1, maxCoalitions: maxCoalitions, requestedAt: time, state: state, lastError: error
        )
    }
}

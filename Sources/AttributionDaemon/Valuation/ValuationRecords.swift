import AttributionProtocol
import AttributionStore
import ContributorValuation

/// One property's result of a refresh, before it becomes a stored valuation.
struct PropertyValuation {
    /// The property's name and direction.
    let property: String
    let higherIsBetter: Bool
    /// Per player: the value and its standard error.
    let values: [Double]
    let standardErrors: [Double]
    /// F(all) and F(∅); the values sum to their difference.
    let grandValue: Double
    let emptyValue: Double

    /// Whether every standard error is at most `target` × |F(all) − F(∅)|.
    func reaches(target: Double) -> Bool {
        let threshold = target * abs(grandValue - emptyValue)
        return standardErrors.allSatisfy { $0 <= threshold }
    }

    /// The stored form, crediting `partition`'s contributors in player order.
    func record(estimator: ShapleyEstimatorKind, sampling: ShapleySamplingKind, step: Int, coalitions: Int, reused: Int,
                target: Double, partition: ContributorPartition) -> ShapleyValuationRecord {
        ShapleyValuationRecord(
            property: property, higherIsBetter: higherIsBetter, estimator: estimator.rawValue, sampling: sampling.rawValue,
            step: UInt64(step), computedAt: .now(), grandValue: grandValue, emptyValue: emptyValue, coalitions: coalitions,
            coalitionsReused: reused, targetStandardError: target, reachedTarget: reaches(target: target),
            contributors: partition.contributors.indices.map { player in
                ShapleyValuationRecord.Contributor(id: partition.contributors[player], examples: partition.examples[player].count,
                                                   value: values[player], standardError: standardErrors[player])
            })
    }

    /// Whether every number is finite (JSON has no NaN or infinity, and a valuation with
    /// unknown parts says nothing).
    var isFinite: Bool {
        grandValue.isFinite && emptyValue.isFinite && values.allSatisfy(\.isFinite) && standardErrors.allSatisfy(\.isFinite)
    }
}

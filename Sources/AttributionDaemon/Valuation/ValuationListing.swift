import AttributionProtocol
import AttributionStore

/// The `shapley_get` method: stored valuations, filtered, with contributor names.
enum ValuationListing {
    /// The valuations matching `params` in `store`: the newest of each property and estimator,
    /// or every one of `params.step`.
    /// - Throws: `invalidParams` for an unknown property or a negative step; the store's errors.
    static func list(_ params: ShapleyGetParams, store: AttributionStore) throws -> ShapleyGetResult {
        if let property = params.property, !ShapleyPropertyName.all.contains(property) {
            throw JSONRPCError(.invalidParams, reason: "property: unknown property \"\(property)\"; the properties are "
                               + ShapleyPropertyName.all.joined(separator: ", "))
        }
        if let step = params.step, step < 0 { throw JSONRPCError(.invalidParams, reason: "step: \(step) is negative") }
        let (records, names) = try store.read { transaction in
            let estimator = params.estimator?.rawValue
            let records = try params.step.map { step in
                try store.shapleyValuations(property: params.property, estimator: estimator, step: UInt64(step), in: transaction)
            } ?? store.latestShapleyValuations(property: params.property, estimator: estimator, in: transaction)
            let names = Dictionary(try store.contributors(in: transaction).map { ($0.id, $0.name) }) { first, _ in first }
            return (records, names)
        }
        return ShapleyGetResult(valuations: try records.map { try valuation($0, names: names) })
    }

    /// The wire form of `record`.
    /// - Throws: `internalError` for an estimator or sampling name this build does not know.
    static func valuation(_ record: ShapleyValuationRecord, names: [Int64: String]) throws(JSONRPCError) -> ShapleyValuation {
        guard let estimator = ShapleyEstimatorKind(rawValue: record.estimator),
              let sampling = ShapleySamplingKind(rawValue: record.sampling)
        else {
            throw JSONRPCError(.internalError, reason: "a stored valuation of \(record.property) has estimator \"\(record.estimator)\" "
                               + "and sampling \"\(record.sampling)\", which this version does not know")
        }
        return ShapleyValuation(
            property: record.property, higherIsBetter: record.higherIsBetter, estimator: estimator, sampling: sampling,
            step: Int(record.step), computedAt: record.computedAt.date, grandValue: record.grandValue, emptyValue: record.emptyValue,
            coalitions: record.coalitions, coalitionsReused: record.coalitionsReused,
            targetStandardError: record.targetStandardError, reachedTarget: record.reachedTarget,
            contributors: record.contributors.map { contributor in
                ShapleyContributorValue(contributor: contributor.id, name: names[contributor.id], examples: contributor.examples,
                                        value: contributor.value, standardError: contributor.standardError)
            })
    }
}

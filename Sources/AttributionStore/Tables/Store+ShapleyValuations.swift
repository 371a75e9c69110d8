import LMDB

extension AttributionStore {
    /// Stores `record`, replacing the valuation of its property, estimator and step.
    public func putShapleyValuation(_ record: ShapleyValuationRecord, in transaction: borrowing WriteTransaction) throws {
        try transaction.put(record, in: databases.shapleyValuations)
    }

    /// The valuations matching every filter given (`nil` matches anything), by property, then
    /// estimator, then step.
    public func shapleyValuations<A>(
        property: String? = nil, estimator: String? = nil, step: UInt64? = nil, in transaction: borrowing Transaction<A>
    ) throws -> [ShapleyValuationRecord] {
        // A property, or a property and an estimator, narrow the scan to a key prefix.
        let range: KeyRange = property.map { .prefix(StoreKey.shapleyValuationPrefix(property: $0, estimator: estimator)) } ?? .all
        let found = try transaction.records(ShapleyValuationRecord.self, in: databases.shapleyValuations, range: range)
        // Keys order strings by length first; callers want names in alphabetical order.
        return found
            .filter { (estimator == nil || $0.estimator == estimator) && (step == nil || $0.step == step) }
            .sorted { ($0.property, $0.estimator, $0.step) < ($1.property, $1.estimator, $1.step) }
    }

    /// For each (property, estimator) matching the filters, the valuation of the largest step,
    /// by property, then estimator.
    public func latestShapleyValuations<A>(
        property: String? = nil, estimator: String? = nil, in transaction: borrowing Transaction<A>
    ) throws -> [ShapleyValuationRecord] {
        let all = try shapleyValuations(property: property, estimator: estimator, in: transaction)
        // Sorted by (property, estimator, step): the last of each run is its latest.
        return all.indices.filter { index in
            index == all.count - 1 || (all[index + 1].property, all[index + 1].estimator) != (all[index].property, all[index].estimator)
        }.map { all[$0] }
    }
}

import LMDB

extension AttributionStore {
    /// The probe called `name`.
    public func probe<A>(named name: String, in transaction: borrowing Transaction<A>) throws -> ProbeRecord? {
        guard !name.isEmpty else { return nil }
        return try transaction.record(ProbeRecord.self, key: StoreKey.probe(name), in: databases.probes)
    }

    /// Every probe, by name (UTF-8 byte order).
    public func probes<A>(in transaction: borrowing Transaction<A>) throws -> [ProbeRecord] {
        try transaction.records(ProbeRecord.self, in: databases.probes)
    }

    /// The number of probes.
    public func probeCount<A>(in transaction: borrowing Transaction<A>) throws -> Int {
        try transaction.count(in: databases.probes)
    }

    /// Stores `record`, replacing the probe of its name (its history is kept).
    public func putProbe(_ record: ProbeRecord, in transaction: borrowing WriteTransaction) throws {
        precondition(!record.name.isEmpty, "a probe needs a name")
        try transaction.put(record, in: databases.probes)
    }

    /// Removes the probe called `name` and its whole history.
    /// - Returns: `false` when there was no such probe.
    @discardableResult
    public func removeProbe(named name: String, in transaction: borrowing WriteTransaction) throws -> Bool {
        guard !name.isEmpty else { return false }
        var keys: [[UInt8]] = []
        try transaction.forEach(in: databases.probeHistory, range: .prefix(StoreKey.probeHistoryPrefix(name))) { entry in
            keys.append(Array(entry.key))
            return .proceed
        }
        for key in keys { try transaction.delete(forKey: key, in: databases.probeHistory) }
        return try transaction.delete(forKey: StoreKey.probe(name), in: databases.probes)
    }

    /// Stores `record`, replacing the entry of its probe and step.
    public func putProbeHistory(_ record: ProbeHistoryRecord, in transaction: borrowing WriteTransaction) throws {
        try transaction.put(record, in: databases.probeHistory)
    }

    /// The history of probe `name`, by step.
    public func probeHistory<A>(named name: String, in transaction: borrowing Transaction<A>) throws -> [ProbeHistoryRecord] {
        try transaction.records(ProbeHistoryRecord.self, in: databases.probeHistory, range: .prefix(StoreKey.probeHistoryPrefix(name)))
    }

    /// The newest step in probe `name`'s history, if any.
    public func lastProbeHistoryStep<A>(named name: String, in transaction: borrowing Transaction<A>) throws -> UInt64? {
        var last: UInt64?
        try transaction.forEach(in: databases.probeHistory, range: .prefix(StoreKey.probeHistoryPrefix(name)), reverse: true) { entry in
            last = try ProbeHistoryRecord.decode(key: entry.key, value: entry.value).step
            return .stop
        }
        return last
    }
}

import LMDB

extension AttributionStore {
    /// Appends a queued Shapley refresh to its FIFO. Numbers come from a counter kept in the
    /// store, so they keep increasing across restarts and a finished job's number is never
    /// reused.
    /// - Returns: The stored job, with its number.
    @discardableResult
    public func enqueueShapleyJob(
        properties: [String], estimator: String, sampling: String, targetStandardError: Double, maxCoalitions: Int?,
        requestedAt: Timestamp, in transaction: borrowing WriteTransaction
    ) throws -> ShapleyJobRecord {
        let stored = try transaction.value(forKey: Self.nextShapleyJobNumberKey, in: databases.meta)
        let number = try stored.map { bytes throws(AttributionStoreError) in
            try RecordReader.decodeInteger(UInt64.self, from: bytes, record: "meta", part: "next Shapley job number")
        } ?? 1
        var writer = RecordWriter()
        writer.appendLittleEndian(number + 1)
        try transaction.put(writer.bytes, forKey: Self.nextShapleyJobNumberKey, in: databases.meta)
        let job = ShapleyJobRecord(
            number: number, properties: properties, estimator: estimator, sampling: sampling,
            targetStandardError: targetStandardError, maxCoalitions: maxCoalitions, requestedAt: requestedAt,
            state: .queued, lastError: nil
        )
        try transaction.put(job, in: databases.shapleyJobs)
        return job
    }

    /// The `meta` key of the next Shapley job number.
    private static let nextShapleyJobNumberKey = Array("nextShapleyJobNumber".utf8)

    /// Every Shapley job, in whatever state, oldest first.
    public func shapleyJobs<A>(in transaction: borrowing Transaction<A>) throws -> [ShapleyJobRecord] {
        try transaction.records(ShapleyJobRecord.self, in: databases.shapleyJobs)
    }

    /// The Shapley job with `number`.
    public func shapleyJob<A>(number: UInt64, in transaction: borrowing Transaction<A>) throws -> ShapleyJobRecord? {
        try transaction.record(ShapleyJobRecord.self, key: StoreKey.sequence(number), in: databases.shapleyJobs)
    }

    /// The number of Shapley jobs in `state`, or in any state when `nil`.
    public func shapleyJobCount<A>(state: ShapleyJobRecord.State? = nil, in transaction: borrowing Transaction<A>) throws -> Int {
        guard let state else { return try transaction.count(in: databases.shapleyJobs) }
        return try shapleyJobs(in: transaction).count { $0.state == state }
    }

    /// The oldest queued Shapley job, left as it is.
    public func oldestQueuedShapleyJob<A>(in transaction: borrowing Transaction<A>) throws -> ShapleyJobRecord? {
        var oldest: ShapleyJobRecord?
        try transaction.forEach(in: databases.shapleyJobs) { entry in
            let job = try ShapleyJobRecord.decode(key: entry.key, value: entry.value)
            guard job.state == .queued else { return .proceed }
            oldest = job
            return .stop
        }
        return oldest
    }

    /// Takes the oldest queued Shapley job: marks it running.
    /// - Returns: The job as stored, or `nil` when none is queued.
    public func takeOldestQueuedShapleyJob(in transaction: borrowing WriteTransaction) throws -> ShapleyJobRecord? {
        guard var job = try oldestQueuedShapleyJob(in: transaction) else { return nil }
        job.state = .running
        try transaction.put(job, in: databases.shapleyJobs)
        return job
    }

    /// Replaces a Shapley job's record (its state, settings or error).
    /// - Throws: ``AttributionStoreError/shapleyJobNotFound(number:)`` when the job is gone, so a
    ///   removed job is not brought back.
    public func updateShapleyJob(_ job: ShapleyJobRecord, in transaction: borrowing WriteTransaction) throws {
        guard try transaction.contains(key: job.key, in: databases.shapleyJobs) else {
            throw AttributionStoreError.shapleyJobNotFound(number: job.number)
        }
        try transaction.put(job, in: databases.shapleyJobs)
    }

    /// Marks a Shapley job failed with `error`; it stays in the queue until removed.
    /// - Returns: The job as stored.
    /// - Throws: ``AttributionStoreError/shapleyJobNotFound(number:)``.
    @discardableResult
    public func failShapleyJob(number: UInt64, error: String, in transaction: borrowing WriteTransaction) throws -> ShapleyJobRecord {
        guard var job = try shapleyJob(number: number, in: transaction) else {
            throw AttributionStoreError.shapleyJobNotFound(number: number)
        }
        job.state = .failed
        job.lastError = error
        try transaction.put(job, in: databases.shapleyJobs)
        return job
    }

    /// Removes a finished (or abandoned) Shapley job from the queue.
    /// - Throws: ``AttributionStoreError/shapleyJobNotFound(number:)``.
    public func removeShapleyJob(number: UInt64, in transaction: borrowing WriteTransaction) throws {
        guard try transaction.delete(forKey: StoreKey.sequence(number), in: databases.shapleyJobs) else {
            throw AttributionStoreError.shapleyJobNotFound(number: number)
        }
    }

    /// Puts Shapley jobs left running by a process that stopped back to queued, keeping their
    /// place in the FIFO; call at start-up.
    /// - Returns: The number of jobs requeued.
    @discardableResult
    public func requeueInterruptedShapleyJobs(in transaction: borrowing WriteTransaction) throws -> Int {
        let interrupted = try shapleyJobs(in: transaction).filter { $0.state == .running }
        for var job in interrupted {
            job.state = .queued
            try transaction.put(job, in: databases.shapleyJobs)
        }
        return interrupted.count
    }
}

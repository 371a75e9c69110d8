import LMDB

extension AttributionStore {
    /// Appends a pending job to the queue. Sequence numbers are never reused, so a stale
    /// number cannot name a newer job.
    /// - Returns: The stored job, with its sequence number.
    @discardableResult
    public func enqueueJob(
        _ kind: JobRecord.Kind, step: UInt64, shard: UInt32? = nil, in transaction: borrowing WriteTransaction
    ) throws -> JobRecord {
        let stored = try transaction.value(forKey: Self.nextJobSequenceKey, in: databases.meta)
        let sequence = try stored.map { bytes throws(AttributionStoreError) in
            try RecordReader.decodeInteger(UInt64.self, from: bytes, record: "meta", part: "next job sequence")
        } ?? 1
        var writer = RecordWriter()
        writer.appendLittleEndian(sequence + 1)
        try transaction.put(writer.bytes, forKey: Self.nextJobSequenceKey, in: databases.meta)
        let job = JobRecord(sequence: sequence, kind: kind, step: step, shard: shard, state: .pending, attempts: 0, lastError: nil)
        try transaction.put(job, in: databases.jobs)
        return job
    }

    /// The `meta` key of the next job sequence number.
    private static let nextJobSequenceKey = Array("nextJobSequence".utf8)

    /// Takes the oldest pending job that `isWanted` accepts: marks it running and counts the
    /// attempt.
    /// - Returns: The job as stored, or `nil` when none is pending.
    public func dequeueNextJob(
        in transaction: borrowing WriteTransaction, where isWanted: (JobRecord) -> Bool = { _ in true }
    ) throws -> JobRecord? {
        var next: JobRecord?
        try transaction.forEach(in: databases.jobs) { entry in
            let job = try JobRecord.decode(key: entry.key, value: entry.value)
            guard job.state == .pending, isWanted(job) else { return .proceed }
            next = job
            return .stop
        }
        guard var job = next else { return nil }
        job.state = .running
        job.attempts += 1
        try transaction.put(job, in: databases.jobs)
        return job
    }

    /// Removes a finished job from the queue.
    /// - Throws: ``AttributionStoreError/jobNotFound(sequence:)``.
    public func completeJob(sequence: UInt64, in transaction: borrowing WriteTransaction) throws {
        guard try transaction.delete(forKey: StoreKey.sequence(sequence), in: databases.jobs) else {
            throw AttributionStoreError.jobNotFound(sequence: sequence)
        }
    }

    /// Records a failed attempt: the job goes back to pending when `retry` is set, else to
    /// failed.
    /// - Returns: The job as stored.
    /// - Throws: ``AttributionStoreError/jobNotFound(sequence:)``.
    @discardableResult
    public func failJob(
        sequence: UInt64, error: String, retry: Bool, in transaction: borrowing WriteTransaction
    ) throws -> JobRecord {
        guard var job = try job(sequence: sequence, in: transaction) else {
            throw AttributionStoreError.jobNotFound(sequence: sequence)
        }
        job.state = retry ? .pending : .failed
        job.lastError = error
        try transaction.put(job, in: databases.jobs)
        return job
    }

    /// Puts jobs left running by a process that stopped back to pending; call at start-up.
    /// - Returns: The number of jobs requeued.
    @discardableResult
    public func requeueInterruptedJobs(in transaction: borrowing WriteTransaction) throws -> Int {
        let interrupted = try jobs(in: transaction).filter { $0.state == .running }
        for var job in interrupted {
            job.state = .pending
            try transaction.put(job, in: databases.jobs)
        }
        return interrupted.count
    }

    /// Removes every job, in whatever state, that `isObsolete` selects (the jobs of a retired
    /// checkpoint or a rejected shard).
    /// - Returns: The number of jobs removed.
    @discardableResult
    public func removeJobs(in transaction: borrowing WriteTransaction, where isObsolete: (JobRecord) -> Bool) throws -> Int {
        let obsolete = try jobs(in: transaction).filter(isObsolete)
        for job in obsolete { try transaction.delete(forKey: job.key, in: databases.jobs) }
        return obsolete.count
    }

    /// The job with `sequence`.
    public func job<A>(sequence: UInt64, in transaction: borrowing Transaction<A>) throws -> JobRecord? {
        try transaction.record(JobRecord.self, key: StoreKey.sequence(sequence), in: databases.jobs)
    }

    /// Every job in the queue, oldest first.
    public func jobs<A>(in transaction: borrowing Transaction<A>) throws -> [JobRecord] {
        try transaction.records(JobRecord.self, in: databases.jobs)
    }
}

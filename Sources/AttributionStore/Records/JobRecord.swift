/// A unit of work in the persistent queue, keyed by its sequence number (order of enqueueing).
public struct JobRecord: Sendable, Hashable {
    /// What a job does.
    public enum Kind: UInt8, Sendable, Hashable, CaseIterable {
        /// Index one shard at one checkpoint (gradients and factor contributions).
        case indexShard = 1
        /// Finish a checkpoint once its shards are indexed: self-influence, the indexed status,
        /// retention.
        case finishCheckpoint = 2
    }

    /// Where a job is in its life; completed jobs leave the queue.
    public enum State: UInt8, Sendable, Hashable, CaseIterable {
        /// Waiting to be taken.
        case pending = 0
        /// Taken by a worker (set back to pending if the process died while running it).
        case running = 1
        /// Gave up; kept for inspection until removed.
        case failed = 2
    }

    /// The job's sequence number, its key.
    public var sequence: UInt64
    /// What the job does.
    public var kind: Kind
    /// The checkpoint's training step.
    public var step: UInt64
    /// The shard's ordinal, for shard jobs.
    public var shard: UInt32?
    /// Where the job is in its life.
    public var state: State
    /// How many times the job was taken.
    public var attempts: UInt32
    /// The error of the last failed attempt.
    public var lastError: String?

    /// A job record.
    public init(
        sequence: UInt64, kind: Kind, step: UInt64, shard: UInt32?, state: State, attempts: UInt32, lastError: String?
    ) {
        self.sequence = sequence
        self.kind = kind
        self.step = step
        self.shard = shard
        self.state = state
        self.attempts = attempts
        self.lastError = lastError
    }
}

extension JobRecord: StoredRecord {
    static let recordName = "job"
    static let currentVersion: UInt8 = 1

    var key: [UInt8] { StoreKey.sequence(sequence) }

    func encodeFields(into writer: inout RecordWriter) {
        writer.appendLittleEndian(kind.rawValue)
        writer.appendLittleEndian(step)
        writer.append(shard != nil)
        writer.appendLittleEndian(shard ?? 0)
        writer.appendLittleEndian(state.rawValue)
        writer.appendLittleEndian(attempts)
        writer.append(lastError)
    }

    init(key: inout RecordReader, fields: inout RecordReader) throws(AttributionStoreError) {
        sequence = try key.readBigEndian()
        let kindByte = try fields.readLittleEndian(UInt8.self)
        guard let kind = Kind(rawValue: kindByte) else { throw fields.corrupt("unknown job kind \(kindByte)") }
        self.kind = kind
        step = try fields.readLittleEndian()
        let hasShard = try fields.readBool()
        let shard = try fields.readLittleEndian(UInt32.self)
        self.shard = hasShard ? shard : nil
        let stateByte = try fields.readLittleEndian(UInt8.self)
        guard let state = State(rawValue: stateByte) else { throw fields.corrupt("unknown job state \(stateByte)") }
        self.state = state
        attempts = try fields.readLittleEndian()
        lastError = try fields.readOptionalString()
    }
}

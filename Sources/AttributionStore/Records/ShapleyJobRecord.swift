/// A requested Shapley refresh in the persistent FIFO, keyed by its number (order of
/// request; numbers are never reused).
///
/// The settings are the daemon's strings and numbers, with its defaults already filled in.
public struct ShapleyJobRecord: Sendable, Hashable {
    /// Where a refresh is in its life; finished refreshes leave the queue.
    public enum State: UInt8, Sendable, Hashable, CaseIterable {
        /// Waiting to run.
        case queued = 0
        /// Taken by the valuation thread (set back to queued if the process died meanwhile).
        case running = 1
        /// Gave up; kept for inspection until removed.
        case failed = 2
    }

    /// The job's number, its key.
    public var number: UInt64
    /// The properties to credit.
    public var properties: [String]
    /// How coalition values are obtained.
    public var estimator: String
    /// How coalitions are chosen.
    public var sampling: String
    /// The standard-error target.
    public var targetStandardError: Double
    /// At most this many coalitions evaluated by the refresh, when limited.
    public var maxCoalitions: Int?
    /// When the refresh was requested.
    public var requestedAt: Timestamp
    /// Where the job is in its life.
    public var state: State
    /// Why the job failed, when it did.
    public var lastError: String?

    /// A job record.
    public init(
        number: UInt64, properties: [String], estimator: String, sampling: String, targetStandardError: Double,
        maxCoalitions: Int?, requestedAt: Timestamp, state: State, lastError: String?
    ) {
        self.number = number
        self.properties = properties
        self.estimator = estimator
        self.sampling = sampling
        self.targetStandardError = targetStandardError
        self.maxCoalitions = maxCoalitions
        self.requestedAt = requestedAt
        self.state = state
        self.lastError = lastError
    }
}

extension ShapleyJobRecord: StoredRecord {
    static let recordName = "shapleyJob"
    static let currentVersion: UInt8 = 1

    var key: [UInt8] { StoreKey.sequence(number) }

    func encodeFields(into writer: inout RecordWriter) {
        writer.append(strings: properties)
        writer.append(estimator)
        writer.append(sampling)
        writer.append(double: targetStandardError)
        writer.append(maxCoalitions != nil)
        writer.append(int: maxCoalitions ?? 0)
        writer.append(requestedAt)
        writer.appendLittleEndian(state.rawValue)
        writer.append(lastError)
    }

    init(key: inout RecordReader, fields: inout RecordReader) throws(AttributionStoreError) {
        number = try key.readBigEndian()
        properties = try fields.readStrings(of: "properties")
        estimator = try fields.readString()
        sampling = try fields.readString()
        targetStandardError = try fields.readDouble()
        let hasMaxCoalitions = try fields.readBool()
        let maxCoalitions = try fields.readInt()
        self.maxCoalitions = hasMaxCoalitions ? maxCoalitions : nil
        requestedAt = try fields.readTimestamp()
        let stateByte = try fields.readLittleEndian(UInt8.self)
        guard let state = State(rawValue: stateByte) else { throw fields.corrupt("unknown Shapley job state \(stateByte)") }
        self.state = state
        lastError = try fields.readOptionalString()
    }
}

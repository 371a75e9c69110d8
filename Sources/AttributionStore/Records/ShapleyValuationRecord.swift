/// The contributors' Shapley values for one property, estimator and checkpoint, keyed by
/// (property, estimator, step).
///
/// The store does not interpret the names: the daemon chooses the property, estimator and
/// sampling strings.
public struct ShapleyValuationRecord: Sendable, Hashable {
    /// One contributor's share of the property.
    public struct Contributor: Sendable, Hashable {
        /// The contributor's id.
        public var id: Int64
        /// Training examples it gave.
        public var examples: Int
        /// Its Shapley value, in the property's units.
        public var value: Double
        /// The standard error of `value`.
        public var standardError: Double

        /// A contributor's value.
        public init(id: Int64, examples: Int, value: Double, standardError: Double) {
            self.id = id
            self.examples = examples
            self.value = value
            self.standardError = standardError
        }
    }

    /// The property credited (part of the key).
    public var property: String
    /// Whether a larger property value is better.
    public var higherIsBetter: Bool
    /// How coalition values were obtained (part of the key).
    public var estimator: String
    /// How coalitions were chosen.
    public var sampling: String
    /// The checkpoint valued (part of the key).
    public var step: UInt64
    /// When the valuation was computed.
    public var computedAt: Timestamp
    /// The property with every contributor, F(all).
    public var grandValue: Double
    /// The property with none, F(∅).
    public var emptyValue: Double
    /// Coalitions the estimate rests on.
    public var coalitions: Int
    /// Of those, how many came from earlier refreshes.
    public var coalitionsReused: Int
    /// The refresh's standard-error target (as the daemon states it).
    public var targetStandardError: Double
    /// Whether every contributor's standard error met the target.
    public var reachedTarget: Bool
    /// One entry per contributor, in the order given.
    public var contributors: [Contributor]

    /// A valuation record.
    public init(
        property: String, higherIsBetter: Bool, estimator: String, sampling: String, step: UInt64,
        computedAt: Timestamp, grandValue: Double, emptyValue: Double, coalitions: Int, coalitionsReused: Int,
        targetStandardError: Double, reachedTarget: Bool, contributors: [Contributor]
    ) {
        self.property = property
        self.higherIsBetter = higherIsBetter
        self.estimator = estimator
        self.sampling = sampling
        self.step = step
        self.computedAt = computedAt
        self.grandValue = grandValue
        self.emptyValue = emptyValue
        self.coalitions = coalitions
        self.coalitionsReused = coalitionsReused
        self.targetStandardError = targetStandardError
        self.reachedTarget = reachedTarget
        self.contributors = contributors
    }
}

extension ShapleyValuationRecord: StoredRecord {
    static let recordName = "shapleyValuation"
    static let currentVersion: UInt8 = 1
    /// Bytes per contributor: id, examples, value, standard error.
    private static let contributorSize = 32

    var key: [UInt8] { StoreKey.shapleyValuationPrefix(property: property, estimator: estimator) + StoreKey.step(step) }

    func encodeFields(into writer: inout RecordWriter) {
        writer.append(higherIsBetter)
        writer.append(sampling)
        writer.append(computedAt)
        writer.append(double: grandValue)
        writer.append(double: emptyValue)
        writer.append(int: coalitions)
        writer.append(int: coalitionsReused)
        writer.append(double: targetStandardError)
        writer.append(reachedTarget)
        writer.appendLittleEndian(UInt64(contributors.count))
        for contributor in contributors {
            writer.appendLittleEndian(contributor.id)
            writer.append(int: contributor.examples)
            writer.append(double: contributor.value)
            writer.append(double: contributor.standardError)
        }
    }

    init(key: inout RecordReader, fields: inout RecordReader) throws(AttributionStoreError) {
        property = try key.readLengthPrefixedString()
        estimator = try key.readLengthPrefixedString()
        step = try key.readBigEndian()
        higherIsBetter = try fields.readBool()
        sampling = try fields.readString()
        computedAt = try fields.readTimestamp()
        grandValue = try fields.readDouble()
        emptyValue = try fields.readDouble()
        coalitions = try fields.readInt()
        coalitionsReused = try fields.readInt()
        targetStandardError = try fields.readDouble()
        reachedTarget = try fields.readBool()
        let count = try fields.readCount(minimumItemSize: Self.contributorSize, of: "contributors")
        var contributors: [Contributor] = []
        contributors.reserveCapacity(count)
        for _ in 0..<count {
            contributors.append(Contributor(
                id: try fields.readLittleEndian(), examples: try fields.readInt(), value: try fields.readDouble(),
                standardError: try fields.readDouble()
            ))
        }
        self.contributors = contributors
    }
}

/// Where one sampler of a Shapley game stopped, so a later refresh can continue its estimate:
/// a part of ``ShapleyGameRecord``.
///
/// The store keeps the running sums as given; their layout is the estimator's business.
public struct ShapleySamplerRecord: Sendable, Hashable {
    /// How the sampler chooses coalitions (the estimator's name for it).
    public var sampling: String
    /// The seed its samples are drawn from.
    public var seed: UInt64
    /// Samples (permutations or pairs) consumed so far.
    public var samples: Int
    /// Running sums over the samples.
    public var sums: [Double]
    /// Running sums of squares and cross-products over the samples.
    public var squareSums: [Double]

    /// A sampler's state.
    public init(sampling: String, seed: UInt64, samples: Int, sums: [Double], squareSums: [Double]) {
        self.sampling = sampling
        self.seed = seed
        self.samples = samples
        self.sums = sums
        self.squareSums = squareSums
    }
}

extension RecordWriter {
    /// Appends a sampler's fields.
    mutating func append(_ sampler: ShapleySamplerRecord) {
        append(sampler.sampling)
        appendLittleEndian(sampler.seed)
        append(int: sampler.samples)
        append(counted: sampler.sums)
        append(counted: sampler.squareSums)
    }
}

extension RecordReader {
    /// The smallest encoding of a sampler: empty name, seed, samples, two empty arrays.
    static let minimumSamplerSize = 4 + 8 + 8 + 8 + 8

    /// A sampler written by `RecordWriter.append(_: ShapleySamplerRecord)`.
    mutating func readSampler() throws(AttributionStoreError) -> ShapleySamplerRecord {
        ShapleySamplerRecord(
            sampling: try readString(), seed: try readLittleEndian(), samples: try readInt(), sums: try readCountedDoubles(),
            squareSums: try readCountedDoubles()
        )
    }
}

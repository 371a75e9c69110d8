/// The bounds and defaults of queries and probes (`[query]` and `[probes]` in the configuration).
public struct QueryLimits: Sendable, Equatable {
    /// `top_k` of a request that gives none.
    public var defaultTopK: Int
    /// The largest `top_k` a request may ask for.
    public var maxTopK: Int
    /// Samples per request.
    public var maxSamples: Int
    /// Queries waiting for the query thread; one more is refused as "server busy".
    public var maxQueued: Int
    /// Noise draws averaged into each query gradient.
    public var queryDraws: Int
    /// Absolute directories that sample `paths` must resolve into; empty refuses every path.
    public var allowedSampleDirectories: [String]
    /// Probes kept at once.
    public var maxProbes: Int
    /// `top_k` of a probe added without one.
    public var probeTopK: Int

    /// Limits; the defaults are those of the shipped configuration file.
    public init(defaultTopK: Int = 10, maxTopK: Int = 1000, maxSamples: Int = 64, maxQueued: Int = 32, queryDraws: Int = 64,
                allowedSampleDirectories: [String] = [], maxProbes: Int = 64, probeTopK: Int = 10) {
        self.defaultTopK = defaultTopK
        self.maxTopK = maxTopK
        self.maxSamples = maxSamples
        self.maxQueued = maxQueued
        self.queryDraws = queryDraws
        self.allowedSampleDirectories = allowedSampleDirectories
        self.maxProbes = maxProbes
        self.probeTopK = probeTopK
    }
}

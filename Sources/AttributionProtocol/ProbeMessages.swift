import Foundation

/// Parameters of `probes.add`.
public struct ProbeAddParams: Sendable, Equatable, Codable {
    /// A unique name (letters, digits, `-`, `_`, `.`; at most 64 characters).
    public var name: String
    /// Inline images; exactly one of `samples` and `paths` is given.
    public var samples: SampleTensor?
    /// Files the daemon may read.
    public var paths: [String]?
    /// Examples kept per sample at each checkpoint (default from the daemon's config).
    public var topK: Int?

    /// Parameters with these members.
    public init(name: String, samples: SampleTensor? = nil, paths: [String]? = nil, topK: Int? = nil) {
        self.name = name
        self.samples = samples
        self.paths = paths
        self.topK = topK
    }
}

/// Parameters naming a probe (`probes.history`, `probes.remove`).
public struct ProbeNameParams: Sendable, Equatable, Codable {
    /// The probe's name.
    public var name: String

    /// Parameters for probe `name`.
    public init(name: String) { self.name = name }
}

/// A registered probe.
public struct ProbeInfo: Sendable, Equatable, Codable {
    /// Its name.
    public var name: String
    /// How many images it holds.
    public var samples: Int
    /// Examples kept per sample.
    public var topK: Int
    /// When it was added.
    public var addedAt: Date
    /// The newest checkpoint it was attributed at.
    public var lastStep: Int?

    /// A probe with these values.
    public init(name: String, samples: Int, topK: Int, addedAt: Date, lastStep: Int?) {
        self.name = name
        self.samples = samples
        self.topK = topK
        self.addedAt = addedAt
        self.lastStep = lastStep
    }
}

/// The result of `probes.list`.
public struct ProbesListResult: Sendable, Equatable, Codable {
    /// Every probe, by name.
    public var probes: [ProbeInfo]

    /// A list of probes.
    public init(probes: [ProbeInfo]) { self.probes = probes }
}

/// One sample's top examples at one checkpoint.
public struct ProbeSampleTop: Sendable, Equatable, Codable {
    /// Highest scores first.
    public var top: [ScoredExample]

    /// A sample's top list.
    public init(top: [ScoredExample]) { self.top = top }
}

/// A probe's attribution at one checkpoint.
public struct ProbeHistoryEntry: Sendable, Equatable, Codable {
    /// The checkpoint's step.
    public var step: Int
    /// When it was computed.
    public var recordedAt: Date
    /// One entry per probe image.
    public var samples: [ProbeSampleTop]

    /// An entry with these values.
    public init(step: Int, recordedAt: Date, samples: [ProbeSampleTop]) {
        self.step = step
        self.recordedAt = recordedAt
        self.samples = samples
    }
}

/// The result of `probes.history`.
public struct ProbeHistoryResult: Sendable, Equatable, Codable {
    /// The probe's name.
    public var name: String
    /// Its attributions, by step.
    public var history: [ProbeHistoryEntry]

    /// A history.
    public init(name: String, history: [ProbeHistoryEntry]) {
        self.name = name
        self.history = history
    }
}

/// The result of `probes.add`: the probe as registered.
public typealias ProbeAddResult = ProbeInfo

/// The result of `probes.remove`.
public struct ProbeRemoveResult: Sendable, Equatable, Codable {
    /// Whether a probe was removed.
    public var removed: Bool

    /// A removal result.
    public init(removed: Bool) { self.removed = removed }
}

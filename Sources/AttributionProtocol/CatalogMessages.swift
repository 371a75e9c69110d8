import Foundation

/// One checkpoint in the result of `checkpoints`.
public struct CheckpointInfo: Sendable, Equatable, Codable {
    /// The training step.
    public var step: Int
    /// `registered`, `indexing`, `indexed`, `failed` or `retired`.
    public var status: String
    /// The checkpoint folder.
    public var path: String
    /// When the daemon first saw it.
    public var registeredAt: Date?
    /// When it finished indexing.
    public var indexedAt: Date?
    /// Training shards indexed at this checkpoint.
    public var shardsIndexed: Int
    /// Training shards accepted in all.
    public var shardsTotal: Int
    /// Examples indexed at this checkpoint.
    public var examples: Int
    /// Why it failed, for failed checkpoints.
    public var failure: String?

    /// A checkpoint with these values.
    public init(step: Int, status: String, path: String, registeredAt: Date?, indexedAt: Date?, shardsIndexed: Int,
                shardsTotal: Int, examples: Int, failure: String?) {
        self.step = step
        self.status = status
        self.path = path
        self.registeredAt = registeredAt
        self.indexedAt = indexedAt
        self.shardsIndexed = shardsIndexed
        self.shardsTotal = shardsTotal
        self.examples = examples
        self.failure = failure
    }
}

/// The result of `checkpoints`.
public struct CheckpointsResult: Sendable, Equatable, Codable {
    /// Every checkpoint known, by step.
    public var checkpoints: [CheckpointInfo]

    /// A list of checkpoints.
    public init(checkpoints: [CheckpointInfo]) { self.checkpoints = checkpoints }
}

/// Parameters of `example`.
public struct ExampleParams: Sendable, Equatable, Codable {
    /// The example's id.
    public var id: Int64
    /// Whether to return the image (read from its shard).
    public var includeImage: Bool?

    /// Parameters for example `id`.
    public init(id: Int64, includeImage: Bool? = nil) {
        self.id = id
        self.includeImage = includeImage
    }
}

/// A value at one checkpoint.
public struct StepValue: Sendable, Equatable, Codable {
    /// The checkpoint's step.
    public var step: Int
    /// The value there.
    public var value: Float

    /// A value at `step`.
    public init(step: Int, value: Float) {
        self.step = step
        self.value = value
    }
}

/// The result of `example`.
public struct ExampleResult: Sendable, Equatable, Codable {
    /// The example's id.
    public var id: Int64
    /// Its shard file.
    public var shard: String
    /// Its row there.
    public var row: Int
    /// Its contributor's id (-1 when unknown).
    public var contributor: Int64
    /// The contributor's name, when known.
    public var contributorName: String?
    /// Its class label, when the shard has labels.
    public var label: Int64?
    /// Whether it is held out (not attributed).
    public var heldOut: Bool
    /// Its self-influence `gᵀ(H+λI)⁻¹g` at each indexed checkpoint.
    public var selfInfluence: [StepValue]
    /// The image `[C, H, W]` in [-1, 1], when asked for.
    public var image: SampleTensor?

    /// An example with these values.
    public init(id: Int64, shard: String, row: Int, contributor: Int64, contributorName: String?, label: Int64?, heldOut: Bool,
                selfInfluence: [StepValue], image: SampleTensor?) {
        self.id = id
        self.shard = shard
        self.row = row
        self.contributor = contributor
        self.contributorName = contributorName
        self.label = label
        self.heldOut = heldOut
        self.selfInfluence = selfInfluence
        self.image = image
    }
}

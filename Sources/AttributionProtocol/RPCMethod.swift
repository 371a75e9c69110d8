/// The methods the daemon answers (see docs/PROTOCOL.md).
public enum RPCMethod: String, Sendable, CaseIterable, Codable {
    /// What the daemon knows and is doing.
    case status
    /// Top-k training examples (and contributor totals) behind generated samples.
    case attribute
    /// Contributor totals alone.
    case attributeContributors = "attribute_contributors"
    /// Every checkpoint known, with its indexing state.
    case checkpoints
    /// One training example's metadata (and optionally its image).
    case example
    /// Registers samples to re-attribute whenever a checkpoint finishes indexing.
    case probesAdd = "probes.add"
    /// The registered probes.
    case probesList = "probes.list"
    /// A probe's attributions at every checkpoint since it was added.
    case probesHistory = "probes.history"
    /// Removes a probe and its history.
    case probesRemove = "probes.remove"
    /// Starts (or joins) a refresh of the contributors' Shapley values.
    case shapleyRefresh = "shapley_refresh"
    /// The latest Shapley values per property, estimator and checkpoint.
    case shapleyGet = "shapley_get"
}

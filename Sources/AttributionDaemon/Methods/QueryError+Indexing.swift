import Indexing

extension QueryError {
    /// The query error for what `Indexing` threw while answering a query (loading a checkpoint,
    /// fitting samples to its model, reading its curvature); nil for the errors only indexing a
    /// shard can raise.
    init?(_ error: IndexingError) {
        switch error {
        case .nothingIndexed: self = .nothingIndexed
        case .checkpointNotIndexed(let step): self = .checkpointNotIndexed(step: step)
        case .unreadableCheckpoint(let step, let reason): self = .checkpointUnreadable(step: step, reason: reason)
        case .unusableFactors(let step, let reason): self = .curvatureUnusable(step: step, reason: reason)
        case .sampleShapeMismatch(let step, let expected, let found): self = .sampleShapeMismatch(step: step, expected: expected, got: found)
        case .unreadableShard, .duplicateExampleIDs, .imageShapeMismatch: return nil
        }
    }
}

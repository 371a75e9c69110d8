import AttributionProtocol

/// Why a query could not be answered; each case knows its JSON-RPC error.
enum QueryError: Error, CustomStringConvertible {
    /// No checkpoint is indexed yet.
    case nothingIndexed
    /// A requested checkpoint is not (or no longer) indexed.
    case checkpointNotIndexed(step: Int)
    /// The checkpoint's folder could not be loaded.
    case checkpointUnreadable(step: Int, reason: String)
    /// The checkpoint's stored curvature cannot precondition queries.
    case curvatureUnusable(step: Int, reason: String)
    /// The samples' image shape does not fit the checkpoint's model.
    case sampleShapeMismatch(step: Int, expected: String, got: [Int])
    /// A sample file could not be read or decoded.
    case sampleFileUnreadable(path: String, reason: String)
    /// The sample files hold more images than a request may.
    case tooManySamples(count: Int, limit: Int)
    /// The sample files hold images of different shapes.
    case mixedSampleShapes(first: [Int], other: [Int])

    var description: String {
        switch self {
        case .nothingIndexed: "no checkpoint has been indexed yet"
        case .checkpointNotIndexed(let step): "checkpoint \(step) is not indexed"
        case .checkpointUnreadable(let step, let reason): "checkpoint \(step) could not be loaded: \(reason)"
        case .curvatureUnusable(let step, let reason): "the curvature of checkpoint \(step) is unusable: \(reason)"
        case .sampleShapeMismatch(let step, let expected, let got):
            "samples have image shape \(got) but the model at step \(step) expects \(expected)"
        case .sampleFileUnreadable(let path, let reason): "\(path): \(reason)"
        case .tooManySamples(let count, let limit): "the samples hold \(count) images; a request may have at most \(limit)"
        case .mixedSampleShapes(let first, let other): "sample images differ in shape: \(first) and \(other)"
        }
    }

    /// The error a client gets.
    var rpcError: JSONRPCError {
        switch self {
        case .nothingIndexed, .checkpointNotIndexed: JSONRPCError(.notIndexed, reason: description)
        case .checkpointUnreadable: JSONRPCError(.internalError, reason: description)
        case .curvatureUnusable: JSONRPCError(.notIndexed, reason: description)
        case .sampleShapeMismatch, .tooManySamples, .mixedSampleShapes: JSONRPCError(.invalidParams, reason: description)
        case .sampleFileUnreadable: JSONRPCError(.unreadableFile, reason: description)
        }
    }
}

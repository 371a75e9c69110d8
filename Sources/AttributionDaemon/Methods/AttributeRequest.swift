import Attribution
import AttributionProtocol
import Indexing
import Numerics

/// The parameters of `attribute` and `attribute_contributors`, validated against the limits.
struct AttributeRequest: Sendable {
    /// The samples, decoded or resolved.
    let input: SampleInput
    /// Examples returned at each end of the ranking.
    let topK: Int
    /// Where to score.
    let checkpoints: CheckpointSelection
    /// What the query gradient differentiates.
    let measurement: QueryMeasurement

    /// Checks `params`.
    ///
    /// - Throws: `invalidParams` for a `top_k` outside 1...maxTopK, an empty or repeating list
    ///   of steps, or bad samples; the path policy's errors for `paths`.
    init(_ params: AttributeParams, limits: QueryLimits, policy: SamplePathPolicy) throws(JSONRPCError) {
        topK = try Self.topK(params.topK, default: limits.defaultTopK, limit: limits.maxTopK)
        checkpoints = try Self.selection(params.checkpoints ?? .latest)
        measurement = params.measurement == .elbo ? .elbo : .loss
        input = try SampleInput(samples: params.samples, paths: params.paths, maxSamples: limits.maxSamples, policy: policy)
    }

    /// The query for `samples`, with `draws` noise draws per query gradient.
    func query(samples: Tensor, draws: Int) -> AttributionQuery {
        AttributionQuery(samples: samples, topK: topK, checkpoints: checkpoints, measurement: measurement, queryDraws: draws)
    }

    /// `requested`, or `defaultValue` when absent, checked to lie in 1...limit.
    static func topK(_ requested: Int?, default defaultValue: Int, limit: Int) throws(JSONRPCError) -> Int {
        let value = requested ?? defaultValue
        guard (1...max(1, limit)).contains(value) else {
            throw JSONRPCError(.invalidParams, reason: "top_k must be between 1 and \(limit), got \(value)")
        }
        return value
    }

    /// The engine's selection for the protocol's.
    static func selection(_ selector: CheckpointSelector) throws(JSONRPCError) -> CheckpointSelection {
        switch selector {
        case .latest: return .latest
        case .all: return .all
        case .steps(let steps):
            guard !steps.isEmpty else { throw JSONRPCError(.invalidParams, reason: "checkpoints: the list of steps is empty") }
            guard Set(steps).count == steps.count else {
                throw JSONRPCError(.invalidParams, reason: "checkpoints: a step is listed twice in \(steps)")
            }
            return .steps(steps)
        }
    }
}

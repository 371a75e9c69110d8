import AttributionProtocol
import AttributionStore
import LMDB

/// A `shapley_refresh` request checked and completed with the configuration's defaults: what a
/// refresh job runs with, and what makes two requests equal (so the second joins the first).
struct RefreshRequest: Sendable, Equatable {
    /// The properties credited, in canonical order.
    var properties: [String]
    /// How coalition values are obtained.
    var estimator: ShapleyEstimatorKind
    /// How coalitions are chosen (`auto` is resolved when the job runs, once the players are known).
    var sampling: ShapleySamplingKind
    /// The standard-error target, as a fraction of |F(all) − F(∅)|.
    var targetStandardError: Double
    /// Coalitions the refresh may evaluate.
    var maxCoalitions: Int

    /// Exact enumeration evaluates 2^n coalitions; beyond this many contributors it is refused.
    static let maximumExactPlayers = 10

    /// `params` with `defaults` filled in.
    /// - Throws: `invalidParams` naming the member at fault: an unknown or repeated property, an
    ///   empty property list, a target outside (0, 1], `max_coalitions` below 1.
    init(_ params: ShapleyRefreshParams, defaults: DaemonConfiguration.Shapley) throws(JSONRPCError) {
        let known = ShapleyPropertyName.all
        if let requested = params.properties {
            guard !requested.isEmpty else {
                throw JSONRPCError(.invalidParams, reason: "properties: name at least one of \(known.joined(separator: ", "))")
            }
            for name in requested where !known.contains(name) {
                throw JSONRPCError(.invalidParams, reason: "properties: unknown property \"\(name)\"; the properties are \(known.joined(separator: ", "))")
            }
        }
        properties = ShapleyPropertyName.canonical(params.properties ?? defaults.properties)
        estimator = params.estimator ?? defaults.estimator
        sampling = params.sampling ?? defaults.sampling
        targetStandardError = params.targetStandardError ?? defaults.targetStandardError
        guard targetStandardError > 0, targetStandardError <= 1 else {
            throw JSONRPCError(.invalidParams, reason: "target_standard_error: \(targetStandardError) is outside (0, 1]; it is a fraction of |F(all) − F(none)|")
        }
        maxCoalitions = params.maxCoalitions ?? defaults.maxCoalitions
        guard maxCoalitions >= 1 else {
            throw JSONRPCError(.invalidParams, reason: "max_coalitions: \(maxCoalitions) is below 1")
        }
    }

    /// The request a stored job was made from.
    /// - Throws: ``ShapleyRefreshError/unreadableJob(number:reason:)`` for names this build does not know.
    init(job: ShapleyJobRecord) throws(ShapleyRefreshError) {
        guard let estimator = ShapleyEstimatorKind(rawValue: job.estimator) else {
            throw .unreadableJob(number: job.number, reason: "unknown estimator \"\(job.estimator)\"")
        }
        guard let sampling = ShapleySamplingKind(rawValue: job.sampling) else {
            throw .unreadableJob(number: job.number, reason: "unknown sampling \"\(job.sampling)\"")
        }
        for name in job.properties where !ShapleyPropertyName.all.contains(name) {
            throw .unreadableJob(number: job.number, reason: "unknown property \"\(name)\"")
        }
        properties = job.properties
        self.estimator = estimator
        self.sampling = sampling
        targetStandardError = job.targetStandardError
        maxCoalitions = job.maxCoalitions ?? Int.max
    }

    /// Throws unless the request can run on data with `contributors` contributors.
    func check(contributors: Int) throws(JSONRPCError) {
        guard contributors > 0 else {
            throw JSONRPCError(.noContributors, reason: "the indexed training shards name no contributors (their \"contributors\" tensor is missing); there is nobody to credit")
        }
        if estimator != .influence, sampling == .exact, contributors > Self.maximumExactPlayers {
            throw JSONRPCError(.invalidParams, reason: "sampling: exact enumeration takes 2^n coalitions and allows at most \(Self.maximumExactPlayers) contributors; the data has \(contributors); use kernel, permutation or auto")
        }
    }

    /// Queues this request in `store`.
    func enqueue(in store: AttributionStore, transaction: borrowing WriteTransaction) throws -> ShapleyJobRecord {
        try store.enqueueShapleyJob(
            properties: properties, estimator: estimator.rawValue, sampling: sampling.rawValue,
            targetStandardError: targetStandardError, maxCoalitions: maxCoalitions, requestedAt: .now(), in: transaction)
    }

    /// Whether `job`, queued or running, would do exactly what this request asks.
    func isAnswered(by job: ShapleyJobRecord) -> Bool {
        job.state != .failed && (try? RefreshRequest(job: job)) == self
    }

    /// The answer to the request, for job `number`.
    func result(job number: UInt64, alreadyQueued: Bool) -> ShapleyRefreshResult {
        ShapleyRefreshResult(job: Int(number), alreadyQueued: alreadyQueued, estimator: estimator, sampling: sampling,
                             properties: properties, targetStandardError: targetStandardError)
    }
}

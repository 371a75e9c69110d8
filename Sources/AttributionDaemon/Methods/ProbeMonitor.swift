import AttributionProtocol
import AttributionStore
import Foundation
import Indexing
import LMDB
import Logging
import Numerics
import ServiceLifecycle
import Synchronization

/// Continuous monitoring: probes (named sets of images) kept in the store and re-attributed on
/// the query thread whenever a checkpoint finishes indexing, each result stored as the probe's
/// history entry at that step.
///
/// ``checkpointIndexed(_:)`` is called from the ingest thread and never blocks it: the step is
/// noted and at most one background job is queued, which takes one step at a time (so requests
/// queued meanwhile are not held back by a long backlog). `run()` catches up on start-up with
/// checkpoints indexed while no monitor ran.
public final class ProbeMonitor: Service, Sendable {
    /// The store holding probes and their history.
    public let store: AttributionStore
    /// Probe and sample limits.
    public let limits: QueryLimits
    let queries: QueryService
    let logger: Logger
    let policy: SamplePathPolicy
    let pending = Mutex(PendingSteps())

    /// Steps waiting to be re-attributed, and whether a job to do so is queued.
    struct PendingSteps {
        /// Step → whether every probe is re-attributed there (a checkpoint just indexed), rather
        /// than only probes whose history ends before it (catching up).
        var steps: [Int: Bool] = [:]
        var jobQueued = false
        var stopped = false
    }

    /// A monitor of the probes in `store`, attributing on `queries`' thread.
    public init(store: AttributionStore, queries: QueryService, limits: QueryLimits, logger: Logger) {
        self.store = store
        self.queries = queries
        self.limits = limits
        self.logger = logger
        policy = SamplePathPolicy(allowedDirectories: limits.allowedSampleDirectories)
    }

    /// Adds a probe and attributes it at the newest indexed checkpoint, if any.
    ///
    /// - Throws: `invalidParams` for a bad name, a name in use, `max_probes` reached, a bad
    ///   `top_k` or bad samples (including samples that do not fit the model); the errors of
    ///   `attribute` for paths and queueing.
    public func add(_ params: ProbeAddParams) async throws -> ProbeInfo {
        try Self.validate(name: params.name)
        let topK = try AttributeRequest.topK(params.topK, default: limits.probeTopK, limit: limits.maxTopK)
        let input = try SampleInput(samples: params.samples, paths: params.paths, maxSamples: limits.maxSamples, policy: policy)
        try store.read { transaction in try checkRoom(for: params.name, in: transaction) }
        let (store, limits, name) = (store, limits, params.name)
        return try await queries.perform { [self] attributor in
            let samples = try input.load(maxSamples: limits.maxSamples)
            let latest = try attributor.indexedSteps().last
            let payload = try latest.map { step in try attribute(samples: samples, topK: topK, step: step, with: attributor) }
            let record = ProbeRecord(name: name, shape: samples.shape, values: samples.scalars, topK: topK, addedAt: .now())
            try store.write { transaction in
                try checkRoom(for: name, in: transaction)
                try store.putProbe(record, in: transaction)
                if let latest, let payload {
                    try store.putProbeHistory(ProbeHistoryRecord(name: name, step: UInt64(latest), recordedAt: .now(), payload: payload),
                                              in: transaction)
                }
            }
            return ProbeInfo(name: name, samples: samples.shape[0], topK: topK, addedAt: record.addedAt.date, lastStep: latest)
        }
    }

    /// Every probe, by name.
    public func list() throws -> ProbesListResult {
        try store.read { transaction in
            ProbesListResult(probes: try store.probes(in: transaction).map { probe in
                ProbeInfo(name: probe.name, samples: probe.shape.first ?? 0, topK: probe.topK, addedAt: probe.addedAt.date,
                          lastStep: try store.lastProbeHistoryStep(named: probe.name, in: transaction).map(Int.init))
            })
        }
    }

    /// Probe `name`'s attributions by step.
    /// - Throws: `notFound` for an unknown probe.
    public func history(named name: String) throws -> ProbeHistoryResult {
        try store.read { transaction in
            guard try store.probe(named: name, in: transaction) != nil else { throw Self.unknown(name) }
            var examples = ExampleDescriber(store: store)
            return ProbeHistoryResult(name: name, history: try store.probeHistory(named: name, in: transaction).map { record in
                let rankings = try ProbeRankingCodec.decode(record.payload)
                return ProbeHistoryEntry(step: Int(record.step), recordedAt: record.recordedAt.date, samples: try rankings.map { ranking in
                    ProbeSampleTop(top: try ranking.map { try examples.describe($0, in: transaction) })
                })
            })
        }
    }

    /// Removes probe `name` and its history.
    /// - Throws: `notFound` for an unknown probe.
    public func remove(named name: String) throws -> ProbeRemoveResult {
        guard try store.write({ try store.removeProbe(named: name, in: $0) }) else { throw Self.unknown(name) }
        return ProbeRemoveResult(removed: true)
    }

    /// Catches up with checkpoints indexed while no monitor ran, then keeps re-attributing until
    /// graceful shutdown or cancellation.
    public func run() async throws {
        let indexed = try store.read { transaction in
            try store.checkpoints(in: transaction).filter { $0.status == .indexed }.map { Int($0.step) }
        }
        note(steps: indexed, everyProbe: false)
        try? await gracefulShutdown()
        pending.withLock { $0.stopped = true }
    }

    /// Re-attributes every probe at `step`, which just finished indexing: queues the work on the
    /// query thread and returns at once (called from the ingest thread).
    public func checkpointIndexed(_ step: Int) {
        note(steps: [step], everyProbe: true)
    }

    /// A probe's top lists at `step`, encoded for its history.
    func attribute(samples: Tensor, topK: Int, step: Int, with attributor: CachedAttributor) throws -> [UInt8] {
        let result = try attributor.attribute(AttributionQuery(samples: samples, topK: topK, checkpoints: .steps([step]),
                                                               queryDraws: limits.queryDraws))
        return ProbeRankingCodec.encode(result.samples.map { sample in
            sample.top.map { ProbeRankingCodec.Entry(id: $0.id, score: $0.score) }
        })
    }

    /// Throws unless a probe called `name` may be added now.
    private func checkRoom<A>(for name: String, in transaction: borrowing Transaction<A>) throws {
        guard try store.probe(named: name, in: transaction) == nil else {
            throw JSONRPCError(.invalidParams, reason: "a probe named \"\(name)\" exists; remove it first")
        }
        guard try store.probeCount(in: transaction) < limits.maxProbes else {
            throw JSONRPCError(.invalidParams, reason: "\(limits.maxProbes) probes are registered, the most allowed; remove one first")
        }
    }

    /// Throws unless `name` is 1 to 64 letters, digits, `-`, `_` or `.`.
    static func validate(name: String) throws(JSONRPCError) {
        let symbols = "-_.".unicodeScalars
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || symbols.contains(scalar)
        }
        guard !name.isEmpty, name.unicodeScalars.count <= 64, allowed else {
            throw JSONRPCError(.invalidParams, reason: "name: a probe name has 1 to 64 letters, digits, '-', '_' or '.'; got \"\(name)\"")
        }
    }

    static func unknown(_ name: String) -> JSONRPCError {
        JSONRPCError(.notFound, reason: "no probe is named \"\(name)\"")
    }
}

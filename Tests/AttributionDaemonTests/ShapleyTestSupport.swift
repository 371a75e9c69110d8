@testable import AttributionDaemon
import AttributionProtocol
import AttributionStore
import Foundation
import Indexing
import LMDB
import Logging
import Synchronization
import Testing

/// A valuation service over a copy of a tiny indexed run (`MethodsTestRun`: three contributors
/// with six labelled 8×8 examples each, six held-out images, a tiny UNet), with a router in
/// front of it.
final class ShapleyHarness: Sendable {
    /// The run every harness copies, trained and indexed once (that costs seconds in debug
    /// builds; a copy costs milliseconds). Its store is closed once indexed, so its files copy
    /// whole.
    static let template = Result { () throws -> URL in
        let run = try MethodsTestRun.make()
        try run.index(try run.openStore("store").store)
        return run.folder
    }

    let testRun: MethodsTestRun
    let store: AttributionStore
    let settings: IndexSettings

    /// Settings small enough for debug builds: one or two steps, two generated samples, all held-out
    /// images, the three properties, sparsified fine-tuning with auto sampling (exact for three).
    static let configuration: DaemonConfiguration.Shapley = {
        var configuration = DaemonConfiguration.Shapley()
        configuration.sparsity = 0.5
        configuration.recoverySteps = 1
        configuration.coalitionSteps = 1
        configuration.batchSize = 4
        configuration.retrainingSteps = 2
        configuration.generatedSamples = 2
        configuration.samplingSteps = 1
        configuration.heldOutImages = 6
        configuration.lossDraws = 1
        return configuration
    }()

    /// A fresh copy of the template run, made on a thread of its own (training the template
    /// must not hold one of the few threads Swift's concurrency runs every test's tasks on).
    static func make() async throws -> ShapleyHarness {
        try await onOwnThread { try ShapleyHarness() }
    }

    private init() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shapley-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: try Self.template.get(), to: folder)
        testRun = MethodsTestRun(folder: folder)
        (store, settings) = try testRun.openStore("store")
    }

    /// A service over the run; `observer` sees each new coalition's count on the valuation thread.
    func service(configuration: DaemonConfiguration.Shapley = ShapleyHarness.configuration,
                 observer: (@Sendable (Int) -> Void)? = nil) -> ValuationService {
        ValuationService(run: testRun.run, store: store, settings: settings, configuration: configuration,
                         queryDraws: MethodsTestRun.queryDraws, logger: Logger(label: "shapley-tests") { _ in SwiftLogNoOpLogHandler() },
                         coalitionObserver: observer)
    }

    /// A router answering with `valuation` (its query thread is never started: Shapley methods
    /// do not use it).
    func router(_ valuation: ValuationService) -> RequestRouter {
        let limits = MethodsServices.limits()
        let logger = Logger(label: "shapley-tests") { _ in SwiftLogNoOpLogHandler() }
        let queries = QueryService(run: testRun.run, store: store, settings: settings, limits: limits, logger: logger)
        let context = RouterContext(
            run: testRun.run, store: store, settings: settings, limits: limits, version: "9.9.9", startedAt: Date(),
            storeDirectory: store.environment.path, ingestStatus: { IngestStatus() }, openConnections: { 0 })
        return RequestRouter(context: context, queries: queries,
                             probes: ProbeMonitor(store: store, queries: queries, limits: limits, logger: logger), valuation: valuation)
    }

    /// Runs `valuation` while `body` runs, then stops it.
    @discardableResult
    func running<T: Sendable>(_ valuation: ValuationService, _ body: () async throws -> T) async throws -> T {
        let task = Task { try await valuation.run() }
        defer { task.cancel() }
        let result = try await body()
        task.cancel()
        try await task.value
        return result
    }

    /// Sends `method` with `params` through `router` and returns the response.
    static func call<Params: Codable & Sendable, Result: Codable & Sendable>(
        _ router: RequestRouter, _ method: RPCMethod, _ params: Params, as _: Result.Type
    ) async throws -> JSONRPCResponse<Result> {
        let line = try MethodsServices.line(method, params)
        let answer = try #require(await router.respond(to: Array(line.utf8)))
        return try ProtocolCoding.makeDecoder().decode(JSONRPCResponse<Result>.self, from: Data(answer))
    }

    /// Requests a refresh through `router` and waits until no job is queued or running.
    @discardableResult
    func refresh(_ router: RequestRouter, _ params: ShapleyRefreshParams) async throws -> ShapleyRefreshResult {
        let response = try await Self.call(router, .shapleyRefresh, params, as: ShapleyRefreshResult.self)
        let result = try #require(response.result, "refresh refused: \(String(describing: response.error))")
        try await waitUntilIdle()
        return result
    }

    /// Waits until every Shapley job has finished or failed.
    func waitUntilIdle() async throws {
        try await eventually("the Shapley queue to empty") {
            try store.read { try store.shapleyJobs(in: $0) }.allSatisfy { $0.state == .failed }
        }
    }

    /// The newest valuations (of `estimator`, when given), through `router`.
    static func valuations(_ router: RequestRouter, estimator: ShapleyEstimatorKind? = nil) async throws -> [ShapleyValuation] {
        let response = try await call(router, .shapleyGet, ShapleyGetParams(estimator: estimator), as: ShapleyGetResult.self)
        return try #require(response.result).valuations
    }

    /// The games stored now.
    func games() throws -> [ShapleyGameRecord] {
        try store.read { try store.shapleyGames(in: $0) }
    }

    /// Files in the store's pruned-model folder.
    func prunedFiles() -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: store.environment.path + "/shapley"))?.sorted() ?? []
    }

    func remove() { testRun.remove() }
}

/// Runs `work` on a new thread and returns its result, so heavy synchronous work (training,
/// indexing, attribution) does not hold a thread of the cooperative pool.
func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
    }
}

/// Counts the coalitions a service evaluated, and can stop it at a given count.
final class CoalitionCounter: Sendable {
    private let state = Mutex((count: 0, snapshots: [ShapleyStatus]()))
    private let stopAt: Int?
    private let service = Mutex<ValuationService?>(nil)

    /// A counter that stops its service after `stopAt` new coalitions, if given.
    init(stopAt: Int? = nil) { self.stopAt = stopAt }

    /// The observer to give the service.
    var observer: @Sendable (Int) -> Void {
        { [self] count in
            let service = self.service.withLock { $0 }
            let snapshot = try? service?.status()
            state.withLock { state in
                state.count += 1
                if let snapshot { state.snapshots.append(snapshot) }
            }
            if count == stopAt { service?.signals.requestStop() }
        }
    }

    /// Attaches the service to stop and to take status snapshots from.
    func attach(_ valuation: ValuationService) { service.withLock { $0 = valuation } }

    /// New coalitions seen.
    var count: Int { state.withLock { $0.count } }
    /// `status.shapley` right after each new coalition.
    var snapshots: [ShapleyStatus] { state.withLock { $0.snapshots } }
}

extension ShapleyValuation {
    /// Σ values − (F(all) − F(∅)), relative to |F(all) − F(∅)|.
    var efficiencyGap: Double {
        let total = grandValue - emptyValue
        return abs(contributors.reduce(0) { $0 + $1.value } - total) / max(abs(total), .leastNormalMagnitude)
    }
}

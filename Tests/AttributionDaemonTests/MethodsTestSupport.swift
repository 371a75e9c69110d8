@testable import AttributionDaemon
import AttributionProtocol
import AttributionStore
import Foundation
import Indexing
import Logging
import Numerics
import Testing

/// One run, trained and indexed once, shared by the tests that only read it (building one costs
/// seconds in debug builds).
final class MethodsIndexedRun: Sendable {
    let testRun: MethodsTestRun
    let store: AttributionStore
    let settings: IndexSettings

    /// The shared run, or why it could not be built.
    static let shared = Result { try MethodsIndexedRun() }

    private init() throws {
        testRun = try MethodsTestRun.make()
        (store, settings) = try testRun.openStore("store")
        try testRun.index(store)
    }

    /// A run indexed by the caller.
    init(testRun: MethodsTestRun, store: AttributionStore, settings: IndexSettings) {
        self.testRun = testRun
        self.store = store
        self.settings = settings
    }

    /// The shared run (throws when it could not be built).
    static func get() throws -> MethodsIndexedRun { try shared.get() }
}

/// The services behind the socket over one store, with the query thread running.
struct MethodsServices: Sendable {
    let queries: QueryService
    let probes: ProbeMonitor
    let router: RequestRouter

    /// The ingest status the router reports.
    static let ingest = IngestStatus(
        pendingJobs: 2, failedJobs: 1,
        running: IngestStatus.RunningJob(kind: "index_shard", step: 3, shard: "shard-00009.safetensors",
                                         startedAt: Date(timeIntervalSince1970: 1000)),
        recentErrors: [IngestStatus.ErrorEntry(time: Date(timeIntervalSince1970: 2000), source: "watcher", message: "inotify overflow")],
        jobsCompleted: 7)

    /// Runs `body` with services over `store`, stopping the query thread afterwards.
    static func with<T: Sendable>(
        run: TrainingRun, store: AttributionStore, settings: IndexSettings, limits: QueryLimits = MethodsServices.limits(),
        _ body: (MethodsServices) async throws -> T
    ) async throws -> T {
        let logger = Logger(label: "methods-tests") { _ in SwiftLogNoOpLogHandler() }
        let queries = QueryService(run: run, store: store, settings: settings, limits: limits, logger: logger)
        let probes = ProbeMonitor(store: store, queries: queries, limits: limits, logger: logger)
        let context = RouterContext(
            run: run, store: store, settings: settings, limits: limits, version: "9.9.9", startedAt: Date(timeIntervalSince1970: 500),
            storeDirectory: "/store", ingestStatus: { ingest }, openConnections: { 3 })
        let services = MethodsServices(queries: queries, probes: probes, router: RequestRouter(context: context, queries: queries, probes: probes))
        let thread = Task { try await queries.run() }
        defer { thread.cancel() }
        let result = try await body(services)
        thread.cancel()
        try await thread.value
        return result
    }

    /// Services over the shared indexed run.
    static func withShared<T: Sendable>(
        limits: QueryLimits = MethodsServices.limits(), _ body: (MethodsServices, MethodsIndexedRun) async throws -> T
    ) async throws -> T {
        let shared = try MethodsIndexedRun.get()
        return try await with(run: shared.testRun.run, store: shared.store, settings: shared.settings, limits: limits) { try await body($0, shared) }
    }

    /// The test limits: the run's query draws, small bounds.
    static func limits(maxSamples: Int = 4, maxQueued: Int = 8, allowed: [String] = [], maxProbes: Int = 3) -> QueryLimits {
        QueryLimits(defaultTopK: 5, maxTopK: 50, maxSamples: maxSamples, maxQueued: maxQueued,
                    queryDraws: MethodsTestRun.queryDraws, allowedSampleDirectories: allowed, maxProbes: maxProbes,
                    probeTopK: 4)
    }

    /// The router's answer to `line`, decoded with `Result` as the result type.
    func call<Result: Codable & Sendable>(_ line: String, as _: Result.Type = NoParams.self) async throws -> JSONRPCResponse<Result> {
        let answer = try #require(await router.respond(to: Array(line.utf8)), "no answer to \(line)")
        return try ProtocolCoding.makeDecoder().decode(JSONRPCResponse<Result>.self, from: Data(answer))
    }

    /// The router's answer to a request of `method` with `params`.
    func call<Params: Codable & Sendable, Result: Codable & Sendable>(
        _ method: RPCMethod, _ params: Params, as _: Result.Type = NoParams.self
    ) async throws -> JSONRPCResponse<Result> {
        try await call(Self.line(method, params), as: Result.self)
    }

    /// A request line of `method` with `params` and id 1.
    static func line<Params: Codable & Sendable>(_ method: RPCMethod, _ params: Params) throws -> String {
        String(decoding: try ProtocolCoding.encodeLine(JSONRPCRequest(id: .number(1), method: method, params: params)), as: UTF8.self)
    }
}

extension AttributeParams {
    /// Parameters sending `samples` inline.
    init(_ samples: Tensor, topK: Int? = nil, checkpoints: CheckpointSelector? = nil) {
        self.init(samples: SampleTensor(values: samples.scalars, shape: samples.shape), topK: topK, checkpoints: checkpoints)
    }
}

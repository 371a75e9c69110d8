@testable import AttributionDaemon
import AttributionProtocol
import AttributionStore
import Foundation
import Indexing
import Logging
import Testing

/// `shapley_refresh` and `shapley_get` refuse what they cannot do, saying why, before anything
/// is queued.
@Suite struct ShapleyRequestTests {
    /// A router over an empty run and store (nothing indexed), with a valuation service.
    static func withEmptyStore<T: Sendable>(_ body: (RequestRouter, ValuationService) async throws -> T) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shapley-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (store, settings) = try IndexStoreFolder.open(folder.appendingPathComponent("store"), requested: MethodsTestRun.settings)
        let run = TrainingRun(folder: folder)
        let logger = Logger(label: "shapley-tests") { _ in SwiftLogNoOpLogHandler() }
        let valuation = ValuationService(run: run, store: store, settings: settings, configuration: ShapleyHarness.configuration,
                                         queryDraws: 1, logger: logger)
        let limits = MethodsServices.limits()
        let queries = QueryService(run: run, store: store, settings: settings, limits: limits, logger: logger)
        let router = RequestRouter(
            context: RouterContext(run: run, store: store, settings: settings, limits: limits, version: "9.9.9", startedAt: Date(),
                                   storeDirectory: folder.path, ingestStatus: { IngestStatus() }, openConnections: { 0 }),
            queries: queries, probes: ProbeMonitor(store: store, queries: queries, limits: limits, logger: logger), valuation: valuation)
        return try await body(router, valuation)
    }

    /// The error answering `line` through `router`.
    static func error(_ router: RequestRouter, _ line: String) async throws -> JSONRPCError {
        let answer = try #require(await router.respond(to: Array(line.utf8)))
        let response = try ProtocolCoding.makeDecoder().decode(JSONRPCResponse<NoParams>.self, from: Data(answer))
        return try #require(response.error, "no error for \(line)")
    }

    @Test(arguments: [
        (#"{"properties": ["held_out_loss", "beauty"]}"#,
         "properties: unknown property \"beauty\"; the properties are held_out_loss, class_diversity, kernel_distance"),
        (#"{"properties": []}"#, "properties: name at least one of held_out_loss"),
        (#"{"target_standard_error": 0}"#, "target_standard_error: 0.0 is outside (0, 1]"),
        (#"{"target_standard_error": 1.5}"#, "target_standard_error: 1.5 is outside (0, 1]"),
        (#"{"max_coalitions": 0}"#, "max_coalitions: 0 is below 1"),
        (#"{"estimator": "magic"}"#, "estimator"),
        (#"{"sampling": 3}"#, "sampling"),
    ])
    func badRefreshParametersAreInvalidParams(params: String, reason: String) async throws {
        try await Self.withEmptyStore { router, valuation in
            let error = try await Self.error(router, #"{"jsonrpc": "2.0", "id": 1, "method": "shapley_refresh", "params": \#(params)}"#)
            #expect(error.knownCode == .invalidParams)
            #expect(error.data?.reason.contains(reason) == true, "\(String(describing: error.data?.reason)) lacks \(reason)")
            #expect(try valuation.status().queued == 0)
        }
    }

    @Test func aRefreshBeforeAnyCheckpointIsIndexedIsRefused() async throws {
        try await Self.withEmptyStore { router, valuation in
            let error = try await Self.error(router, #"{"jsonrpc": "2.0", "id": 1, "method": "shapley_refresh"}"#)
            #expect(error.knownCode == .notIndexed && error.data?.reason.contains("no checkpoint has been indexed yet") == true)
            #expect(try valuation.status() == ShapleyStatus(running: nil, queued: 0, lastCompletedAt: nil, lastError: nil))
            let empty = try await ShapleyHarness.call(router, .shapleyGet, ShapleyGetParams(), as: ShapleyGetResult.self)
            #expect(empty.result?.valuations == [])
        }
    }

    @Test func badGetParametersAreInvalidParams() async throws {
        try await Self.withEmptyStore { router, _ in
            let property = try await Self.error(router, #"{"jsonrpc": "2.0", "id": 1, "method": "shapley_get", "params": {"property": "fid"}}"#)
            #expect(property.knownCode == .invalidParams && property.data?.reason.contains("unknown property \"fid\"") == true)
            let step = try await Self.error(router, #"{"jsonrpc": "2.0", "id": 1, "method": "shapley_get", "params": {"step": -4}}"#)
            #expect(step.knownCode == .invalidParams && step.data?.reason.contains("step: -4 is negative") == true)
        }
    }

    @Test func theDataDecidesWhatCanRun() throws {
        let defaults = ShapleyHarness.configuration
        let request = try RefreshRequest(ShapleyRefreshParams(), defaults: defaults)
        let nobody = #expect(throws: JSONRPCError.self) { try request.check(contributors: 0) }
        #expect(nobody?.knownCode == .noContributors && nobody?.data?.reason.contains("name no contributors") == true)
        try request.check(contributors: 11)  // auto picks KernelSHAP for many contributors

        let exact = try RefreshRequest(ShapleyRefreshParams(sampling: .exact), defaults: defaults)
        try exact.check(contributors: 10)
        let tooMany = #expect(throws: JSONRPCError.self) { try exact.check(contributors: 11) }
        #expect(tooMany?.knownCode == .invalidParams && tooMany?.data?.reason.contains("at most 10 contributors; the data has 11") == true)
        try RefreshRequest(ShapleyRefreshParams(estimator: .influence, sampling: .exact), defaults: defaults).check(contributors: 11)
    }

    @Test func aRouterWithoutValuationDoesNotServeShapley() async throws {
        let shared = try await onOwnThread { try MethodsIndexedRun.get() }
        try await MethodsServices.with(run: shared.testRun.run, store: shared.store, settings: shared.settings) { services in
            let response = try await services.call(.shapleyGet, ShapleyGetParams(), as: ShapleyGetResult.self)
            #expect(response.error?.knownCode == .methodNotFound)
            let status = try await services.call(.status, NoParams(), as: StatusResult.self)
            #expect(status.result != nil && status.result?.shapley == nil)
        }
    }
}

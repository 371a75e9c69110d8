@testable import AttributionDaemon
import AttributionProtocol
import Dispatch
import Foundation
import Indexing
import Logging
import Testing

/// The query thread's queue: bounded, cancellable, drained on shutdown.
@Suite struct MethodsQueryServiceTests {
    /// A query service over the shared run, its thread running in `thread`.
    struct Running {
        let queries: QueryService
        let thread: Task<Void, any Error>

        init(maxQueued: Int) throws {
            let shared = try MethodsIndexedRun.get()
            queries = QueryService(run: shared.testRun.run, store: shared.store, settings: shared.settings,
                                   limits: MethodsServices.limits(maxQueued: maxQueued),
                                   logger: Logger(label: "methods-tests") { _ in SwiftLogNoOpLogHandler() })
            let queries = queries
            thread = Task { try await queries.run() }
        }

        /// Occupies the query thread until `gate` is signalled; returns once the job runs.
        func block(until gate: DispatchSemaphore) async throws -> Task<Void, any Error> {
            let started = DispatchSemaphore(value: 0)
            let blocker = Task { try await queries.perform { _ in started.signal(); gate.wait() } }
            try await Self.poll { started.wait(timeout: .now()) == .success }
            return blocker
        }

        /// Waits (polling) until `condition` holds, failing after ten seconds.
        static func poll(_ condition: () -> Bool) async throws {
            let deadline = ContinuousClock.now + .seconds(10)
            while !condition() {
                guard ContinuousClock.now < deadline else { throw CancellationError() }
                try await Task.sleep(for: .milliseconds(5))
            }
        }
    }

    static let query = AttributionQuery(samples: MethodsTestRun.samples(count: 1), topK: 3)

    /// The JSON-RPC error code `body` throws.
    static func code(_ body: () async throws -> Void) async -> JSONRPCErrorCode? {
        do { try await body() } catch let error as JSONRPCError { return error.knownCode } catch { return nil }
        return nil
    }

    @Test func aFullQueueIsBusy() async throws {
        let running = try Running(maxQueued: 1)
        defer { running.thread.cancel() }
        let gate = DispatchSemaphore(value: 0)
        let blocker = try await running.block(until: gate)
        let waiting = Task { try await running.queries.attribute(Self.query) }
        try await Running.poll { running.queries.queuedQueries == 1 }
        #expect(await Self.code { _ = try await running.queries.attribute(Self.query) } == .serverBusy)
        gate.signal()
        try await blocker.value
        #expect(try await waiting.value.checkpoints == [2])
        #expect(running.queries.queuedQueries == 0)
    }

    @Test func aCancelledWaitingQueryLeavesTheQueue() async throws {
        let running = try Running(maxQueued: 1)
        defer { running.thread.cancel() }
        let gate = DispatchSemaphore(value: 0)
        let blocker = try await running.block(until: gate)
        let waiting = Task { try await running.queries.attribute(Self.query) }
        try await Running.poll { running.queries.queuedQueries == 1 }
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
        #expect(running.queries.queuedQueries == 0)
        let next = Task { try await running.queries.attribute(Self.query) }
        try await Running.poll { running.queries.queuedQueries == 1 }
        gate.signal()
        try await blocker.value
        #expect(try await next.value.samples.count == 1)
    }

    @Test func shutdownRefusesQueuedWorkAndFinishesTheRunningQuery() async throws {
        let running = try Running(maxQueued: 4)
        let gate = DispatchSemaphore(value: 0)
        let blocker = try await running.block(until: gate)
        let waiting = Task { try await running.queries.attribute(Self.query) }
        try await Running.poll { running.queries.queuedQueries == 1 }
        running.thread.cancel()
        #expect(await Self.code { _ = try await waiting.value } == .shuttingDown)
        #expect(await Self.code { _ = try await running.queries.attribute(Self.query) } == .shuttingDown)
        gate.signal()
        try await blocker.value
        try await running.thread.value
    }
}

import AttributionProtocol
import Dispatch
import Foundation
import Synchronization

/// The dedicated OS thread that runs query work one job at a time, from a bounded queue.
///
/// Heavy compute stays off Swift's cooperative pool: async callers queue a job and suspend until
/// the thread has run it. Jobs from requests count against the queue's limit (one more is
/// refused as "server busy"); background jobs (probe re-attribution, which its owner coalesces)
/// do not. Stopping refuses what is still queued, lets the job in flight finish, then ends the
/// thread.
final class QueryThread: Sendable {
    /// A queued unit of work.
    private struct Job: Sendable {
        let id: UInt64
        let countsAgainstLimit: Bool
        /// Runs the work on the thread (and answers its caller).
        let run: @Sendable (CachedAttributor) -> Void
        /// Answers the caller of a job that will not run.
        let refuse: @Sendable (any Error) -> Void
    }

    private enum Phase { case notStarted, running, stopping, stopped }

    private struct State {
        var queue: [Job] = []
        var nextID: UInt64 = 0
        var phase = Phase.notStarted
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
        var queuedRequests: Int { queue.count { $0.countsAgainstLimit } }
    }

    private let state = Mutex(State())
    /// Signalled once per queued job and once to stop; the thread may find a job already
    /// cancelled and then simply waits again.
    private let wakeup = DispatchSemaphore(value: 0)
    private let makeAttributor: @Sendable () -> CachedAttributor
    private let limit: Int

    /// A thread (not started yet) whose jobs get the attributor `makeAttributor` builds on it,
    /// queueing at most `limit` request jobs.
    init(limit: Int, makeAttributor: @escaping @Sendable () -> CachedAttributor) {
        self.limit = limit
        self.makeAttributor = makeAttributor
    }

    /// Request jobs waiting now (not counting the one running).
    var queuedRequests: Int { state.withLock { $0.queuedRequests } }

    /// Starts the thread; returns false when it was started before.
    func start() -> Bool {
        let started = state.withLock { state in
            guard state.phase == .notStarted else { return false }
            state.phase = .running
            return true
        }
        guard started else { return false }
        let thread = Thread { [self] in loop() }
        thread.name = "attributiond-query"
        thread.start()
        return true
    }

    /// Queues `run`; `refuse` is called instead when the job is cancelled or the thread stops
    /// before running it.
    ///
    /// - Returns: The job's id (for ``cancel(_:)``).
    /// - Throws: `serverBusy` when a request job finds `limit` request jobs waiting,
    ///   `shuttingDown` once stopping began.
    func submit(countsAgainstLimit: Bool, run: @escaping @Sendable (CachedAttributor) -> Void,
                refuse: @escaping @Sendable (any Error) -> Void) throws(JSONRPCError) -> UInt64 {
        let id = try state.withLock { (state) throws(JSONRPCError) -> UInt64 in
            guard state.phase == .notStarted || state.phase == .running else {
                throw JSONRPCError(.shuttingDown, reason: "the daemon is stopping")
            }
            if countsAgainstLimit && state.queuedRequests >= limit {
                throw JSONRPCError(.serverBusy, reason: "\(limit) queries are already waiting; retry later")
            }
            state.nextID += 1
            state.queue.append(Job(id: state.nextID, countsAgainstLimit: countsAgainstLimit, run: run, refuse: refuse))
            return state.nextID
        }
        wakeup.signal()
        return id
    }

    /// Takes job `id` off the queue and refuses it with `CancellationError`.
    /// - Returns: false when the job already ran, is running or was never queued.
    @discardableResult
    func cancel(_ id: UInt64) -> Bool {
        let job = state.withLock { state -> Job? in
            guard let index = state.queue.firstIndex(where: { $0.id == id }) else { return nil }
            return state.queue.remove(at: index)
        }
        job?.refuse(CancellationError())
        return job != nil
    }

    /// Refuses every queued job with `shuttingDown`, then waits until the job in flight has
    /// finished and the thread has ended.
    func stop() async {
        let refused = state.withLock { state -> [Job] in
            let queued = state.queue
            state.queue = []
            switch state.phase {
            case .notStarted: state.phase = .stopped
            case .running: state.phase = .stopping
            case .stopping, .stopped: break
            }
            return queued
        }
        for job in refused { job.refuse(JSONRPCError(.shuttingDown, reason: "the daemon is stopping")) }
        wakeup.signal()
        await withCheckedContinuation { continuation in
            let stopped = state.withLock { state in
                if state.phase == .stopped { return true }
                state.exitWaiters.append(continuation)
                return false
            }
            if stopped { continuation.resume() }
        }
    }

    /// The thread's body: runs jobs until stopped.
    private func loop() {
        let attributor = makeAttributor()
        while true {
            wakeup.wait()
            enum Next { case job(Job), idle, exit([CheckedContinuation<Void, Never>]) }
            let next = state.withLock { state -> Next in
                if !state.queue.isEmpty { return .job(state.queue.removeFirst()) }
                guard state.phase == .stopping else { return .idle }
                state.phase = .stopped
                defer { state.exitWaiters = [] }
                return .exit(state.exitWaiters)
            }
            switch next {
            case .job(let job): job.run(attributor)
            case .idle: continue
            case .exit(let waiters):
                for waiter in waiters { waiter.resume() }
                return
            }
        }
    }
}

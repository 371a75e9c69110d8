import NIOCore
import Synchronization

/// One call of the request handler, bounded in time.
///
/// The handler runs in its own task and races a timer on the event loop (a dedicated thread, so
/// the deadline holds even when the task pool is busy); whichever finishes first decides the
/// outcome, and the loser is cancelled. The caller never waits for a handler that ignores
/// cancellation: on timeout it gets ``Outcome/timedOut`` at once, and the handler's late answer
/// is dropped when it comes.
enum TimedHandlerCall {
    /// How the call ended.
    enum Outcome: Sendable, Equatable {
        /// The handler answered (nil: a notification, nothing to write).
        case answered([UInt8]?)
        /// The time limit passed first.
        case timedOut
        /// The calling task was cancelled first.
        case cancelled
    }

    static func respond(
        to line: [UInt8], with handler: any RequestHandling, within timeout: Duration, timerLoop: any EventLoop
    ) async -> Outcome {
        let race = Race()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                race.install(continuation)
                let work = Task { race.finish(.answered(await handler.respond(to: line))) }
                race.onFinish { work.cancel() }
                let timer = timerLoop.scheduleTask(in: TimeAmount(timeout)) { race.finish(.timedOut) }
                race.onFinish { timer.cancel() }
            }
        } onCancel: {
            race.finish(.cancelled)
        }
    }

    /// The first outcome wins: it resumes the waiting caller and cancels the racers.
    private final class Race: Sendable {
        private struct State {
            var continuation: CheckedContinuation<Outcome, Never>?
            var outcome: Outcome?
            var cancellations: [@Sendable () -> Void] = []
        }

        private let state = Mutex(State())

        func install(_ continuation: CheckedContinuation<Outcome, Never>) {
            let decided: Outcome? = state.withLock { state in
                if state.outcome == nil { state.continuation = continuation }
                return state.outcome
            }
            if let decided { continuation.resume(returning: decided) }
        }

        /// Runs `cancel` once the race is decided (at once if it already is).
        func onFinish(_ cancel: @escaping @Sendable () -> Void) {
            let decided = state.withLock { state in
                if state.outcome == nil { state.cancellations.append(cancel) }
                return state.outcome != nil
            }
            if decided { cancel() }
        }

        func finish(_ outcome: Outcome) {
            let won: (CheckedContinuation<Outcome, Never>?, [@Sendable () -> Void])? = state.withLock { state in
                guard state.outcome == nil else { return nil }
                state.outcome = outcome
                defer {
                    state.continuation = nil
                    state.cancellations = []
                }
                return (state.continuation, state.cancellations)
            }
            guard let (continuation, cancellations) = won else { return }
            continuation?.resume(returning: outcome)
            for cancel in cancellations { cancel() }
        }
    }
}

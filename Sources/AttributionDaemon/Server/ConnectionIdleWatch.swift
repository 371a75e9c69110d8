import Logging
import NIOCore
import Synchronization

/// Closes a connection that has gone too long without a complete request, and closes each
/// connection soon after its in-flight request once the server is stopping.
///
/// The idle clock runs whenever the connection has no request waiting or being answered: from
/// accept, and again from the moment the last answer is ready (so a client that stops reading
/// its answer is closed too). A client that sends half a line and stalls, or connects and says
/// nothing, is closed after `idleTimeout`. Arrivals are counted on the event loop as lines are
/// decoded (``RequestArrivalHandler``), so a client that did send a request is never taken for
/// idle because the task pool was slow to pick it up.
///
/// Stopping: once ``beginShutdown()`` was called and no handler call is in progress, the
/// connection lingers `shutdownGrace` (requests read meanwhile are answered "shutting down"),
/// then closes as soon as nothing it has received is unanswered, and at the latest
/// `4 × shutdownGrace` later, so a client that keeps sending cannot hold the server open.
/// Timers run on the connection's event loop; a generation number makes a timer that fires
/// after being replaced a no-op.
final class ConnectionIdleWatch: Sendable {
    private enum Phase {
        /// Serving; the idle clock runs while nothing is pending.
        case serving
        /// Stopping; waiting for the handler call in progress.
        case draining
        /// Stopping; the grace period runs.
        case lingering
        /// Stopping; the grace period is over: close once nothing is pending.
        case overdue
        case stopped
    }

    private struct State {
        var phase = Phase.serving
        /// Requests received and not yet answered.
        var pending = 0
        /// Whether the handler is working on one of them.
        var handling = false
        var generation = 0
        var timer: Scheduled<Void>?
    }

    private let state = Mutex(State())
    private let channel: any Channel
    private let idleTimeout: Duration
    private let shutdownGrace: Duration
    private let logger: Logger

    init(channel: any Channel, idleTimeout: Duration, shutdownGrace: Duration, logger: Logger) {
        self.channel = channel
        self.idleTimeout = idleTimeout
        self.shutdownGrace = shutdownGrace
        self.logger = logger
    }

    /// Starts the clock (the connection is idle until its first request).
    func start() {
        state.withLock { state in
            if state.phase == .serving && state.pending == 0 { schedule(&state, after: idleTimeout, then: .idle) }
        }
    }

    /// A complete request line has arrived (called on the event loop): the idle clock stops.
    func requestArrived() {
        state.withLock { state in
            state.pending += 1
            if state.phase == .serving { cancelTimer(&state) }
        }
    }

    /// The handler has started on a request.
    func handlerStarted() {
        state.withLock { $0.handling = true }
    }

    /// A request's answer is ready (or there is none).
    func requestAnswered() {
        let close = state.withLock { state -> Bool in
            state.handling = false
            state.pending = max(0, state.pending - 1)
            switch state.phase {
            case .serving where state.pending == 0: schedule(&state, after: idleTimeout, then: .idle)
            case .draining: linger(&state)
            case .overdue where state.pending == 0: return true
            default: break
            }
            return false
        }
        if close { closeChannel(.shutdown) }
    }

    /// The server is stopping: close after the request in the handler, or soon if there is none.
    func beginShutdown() {
        state.withLock { state in
            guard state.phase == .serving else { return }
            state.phase = .draining
            if state.handling {
                cancelTimer(&state)
            } else {
                linger(&state)
            }
        }
    }

    /// The connection is done; no timer may fire any more.
    func stop() {
        state.withLock { state in
            state.phase = .stopped
            cancelTimer(&state)
        }
    }

    private enum Expiry { case idle, graceOver, lastCall }

    private func linger(_ state: inout State) {
        state.phase = .lingering
        schedule(&state, after: shutdownGrace, then: .graceOver)
    }

    private func cancelTimer(_ state: inout State) {
        state.generation += 1
        state.timer?.cancel()
        state.timer = nil
    }

    private func schedule(_ state: inout State, after delay: Duration, then expiry: Expiry) {
        cancelTimer(&state)
        let generation = state.generation
        state.timer = channel.eventLoop.scheduleTask(in: TimeAmount(delay)) { [self] in
            expire(expiry, generation: generation)
        }
    }

    private func expire(_ expiry: Expiry, generation: Int) {
        let close = state.withLock { state -> Bool in
            guard state.generation == generation else { return false }
            switch (expiry, state.phase) {
            case (.idle, .serving):
                return state.pending == 0
            case (.graceOver, .lingering):
                guard state.pending > 0 else { return true }
                state.phase = .overdue
                schedule(&state, after: shutdownGrace * 4, then: .lastCall)
                return false
            case (.lastCall, .overdue):
                return true
            default:
                return false
            }
        }
        guard close else { return }
        closeChannel(expiry == .idle ? .idle : .shutdown)
    }

    private enum CloseReason { case idle, shutdown }

    private func closeChannel(_ reason: CloseReason) {
        switch reason {
        case .idle:
            logger.info("closing an idle connection: no complete request within the idle timeout",
                        metadata: ["idle_timeout": "\(ServerErrorLines.describe(idleTimeout))"])
        case .shutdown:
            logger.debug("closing the connection: the server is stopping")
        }
        channel.close(promise: nil)
    }
}

/// Tells a connection's ``ConnectionIdleWatch`` of each request line as the decoder produces it,
/// on the event loop.
final class RequestArrivalHandler: ChannelInboundHandler {
    typealias InboundIn = RequestFrame
    typealias InboundOut = RequestFrame

    private let watch: ConnectionIdleWatch

    init(watch: ConnectionIdleWatch) {
        self.watch = watch
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .line = unwrapInboundIn(data) { watch.requestArrived() }
        context.fireChannelRead(data)
    }
}

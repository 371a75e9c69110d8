import Dispatch
import Foundation
import Synchronization

/// Runs independent jobs on a few threads at once, each thread taking the next job when it
/// finishes one, so unequal jobs still keep every thread busy.
///
/// The benchmark evaluates coalitions this way: each job builds its own game, and OpenBLAS is
/// set to one thread beforehand, so two lanes use two cores without oversubscribing them.
enum ShapleyBenchmarkLanes {
    /// A unit of work; it must not share mutable state with other jobs except through locks.
    typealias Job = @Sendable () throws -> Void

    /// Stack of each lane thread, as the daemon gives its compute threads.
    static let stackSize = 8 << 20

    /// Runs `jobs` on `lanes` threads and returns when all are done. After a job throws, no new
    /// job starts, and the first error is rethrown.
    static func run(lanes: Int, jobs: [Job]) throws {
        guard !jobs.isEmpty else { return }
        let state = Mutex<(next: Int, error: (any Error)?)>((0, nil))
        let finished = DispatchGroup()
        for lane in 0..<min(max(lanes, 1), jobs.count) {
            finished.enter()
            let thread = Thread {
                defer { finished.leave() }
                while let index = state.withLock({ state -> Int? in
                    guard state.error == nil, state.next < jobs.count else { return nil }
                    defer { state.next += 1 }
                    return state.next
                }) {
                    do { try jobs[index]() } catch {
                        state.withLock { state in if state.error == nil { state.error = error } }
                    }
                }
            }
            thread.name = "shapley-lane-\(lane)"
            thread.stackSize = stackSize
            thread.start()
        }
        finished.wait()
        if let error = state.withLock({ $0.error }) { throw error }
    }

    /// A value one job hands to the code that runs the lanes.
    final class Slot<Value: Sendable>: Sendable {
        private let stored = Mutex<Value?>(nil)

        /// An empty slot.
        init() {}

        /// The value, once a job has set it.
        var value: Value? {
            get { stored.withLock { $0 } }
            set { stored.withLock { $0 = newValue } }
        }
    }
}

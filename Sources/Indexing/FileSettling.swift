import Foundation
import Synchronization

/// Whether a file found on disk is finished being written, as far as ingest can tell.
public enum FileReadiness: Sendable, Equatable {
    /// Finished: it may be read.
    case settled
    /// Possibly still being written. Unless it is written again, or reported complete sooner, it
    /// settles at `until`.
    case settling(until: Date)
}

/// Decides when a file is finished being written, so that ingest never reads one half written
/// and never refuses one for being half written.
///
/// Our trainer renames every file into place, but other writers (diffusers' `save_pretrained`, a
/// copy in progress) write under the final, visible name. A file is *settled*, and may be read,
/// when
///
/// - it was reported complete — closed after writing, or renamed into place — no earlier than
///   its last modification (``noteCompleted(_:at:)``, fed from the file watcher's events); or
/// - it has not been modified for ``interval``, the *quiet period*, which covers the files whose
///   events were never seen: those written before the watch began, or lost when the watcher
///   overflowed.
///
/// A report arrives a little after the close it reports, and a writer may reopen the file in
/// between (creating it empty, then writing it), so a settled file may still turn out half
/// written. Hence the second rule, applied by the callers: a file that does not parse is refused
/// only once quiet for the interval (``quietUntil(modified:now:)``); until then it is taken to be
/// still being written. A good file renamed into place therefore counts at once, one written in
/// place when its writer closes it, and a broken one is refused after the quiet period. Only a
/// writer pausing longer than the interval mid-file gets its file refused too early; it is read
/// again once it changes on disk.
///
/// An interval of zero settles every file present and believes every error at once
/// (``immediate``): the offline `index` command uses it, since it runs once over a run that is not
/// being written and has no events to wait for.
public final class FileSettling: Sendable {
    /// How long a file must stay unmodified to settle without a completion report.
    public let interval: Duration
    private let completions: Mutex<[String: Date]>
    private let capacity: Int

    /// Every file present is settled: the rule of a one-off pass over a finished run.
    public static let immediate = FileSettling(interval: .zero)

    /// A rule settling files after `interval` of quiet, or once reported complete.
    ///
    /// - Parameter capacity: The most completion reports remembered. Forgetting one is always
    ///   safe (its file then settles by the quiet-period rule), so the oldest go first when full.
    public init(interval: Duration, capacity: Int = 4096) {
        precondition(capacity > 0, "capacity must be positive")
        self.interval = max(.zero, interval)
        self.completions = Mutex([:])
        self.capacity = capacity
    }

    /// Records that the file at `path` (absolute) was reported complete at `time`: closed after
    /// writing, or renamed into place. Call it before asking for the reconcile the report triggers.
    public func noteCompleted(_ path: String, at time: Date = Date()) {
        guard interval > .zero else { return }
        let key = Self.key(path)
        let horizon = time.addingTimeInterval(-seconds)
        completions.withLock { completions in
            completions[key] = time
            guard completions.count > capacity else { return }
            // Reports older than the interval are no longer needed: their files settle by quiet.
            completions = completions.filter { $0.value >= horizon }
            while completions.count > capacity, let oldest = completions.min(by: { $0.value < $1.value }) {
                completions[oldest.key] = nil
            }
        }
    }

    /// Forgets every completion report, e.g. after file events were lost: files then settle by
    /// the quiet-period rule until reported complete again.
    public func forgetCompletions() {
        completions.withLock { $0.removeAll() }
    }

    /// Whether the file at `url`, last modified at `modified`, is settled at `now`.
    public func readiness(of url: URL, modified: Date, now: Date = Date()) -> FileReadiness {
        guard let until = quietUntil(modified: modified, now: now) else { return .settled }
        if let completed = completions.withLock({ $0[Self.key(url.path)] }), completed >= modified { return .settled }
        return .settling(until: until)
    }

    /// When a file last modified at `modified` will have been quiet for the interval; nil when it
    /// already has at `now`. A file that does not parse is refused only once quiet.
    public func quietUntil(modified: Date, now: Date = Date()) -> Date? {
        guard interval > .zero else { return nil }
        let until = modified.addingTimeInterval(seconds)
        return now >= until ? nil : until
    }

    /// The interval in seconds.
    private var seconds: TimeInterval { interval / .seconds(1) }

    /// The form paths are compared in: absolute, without `.`/`..` components or a final `/`, so
    /// the watcher's paths and the run's URLs match.
    private static func key(_ path: String) -> String {
        URL(fileURLWithPath: path).standardized.path
    }
}

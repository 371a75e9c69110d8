import Glibc

/// Lowers the calling thread's scheduling priority.
///
/// The valuation thread trains and samples for minutes at a time, while ingest and queries
/// should keep answering on the machine's two cores. Linux applies `setpriority(PRIO_PROCESS,
/// tid, …)` to the one thread whose id is given (threads have their own nice values there,
/// unlike POSIX's per-process rule), so raising the valuation thread's nice value lets the
/// ingest and query threads win the cores whenever they have work, without slowing them with
/// a lock or a budget; an idle machine still gives valuation a whole core. Raising one's own
/// nice value needs no privilege.
enum ValuationThreadPriority {
    /// How much higher the valuation thread's nice value is than the process's (a unit's
    /// `Nice=` included): 10 steps, about a tenth of the CPU share against a busy thread.
    static let niceIncrement: Int32 = 10
    /// The largest nice value Linux allows.
    static let maximumNiceValue: Int32 = 19

    /// Raises the calling thread's nice value by ``niceIncrement`` (at most to 19).
    /// - Returns: nil on success, else why it failed.
    static func lowerCurrentThread() -> String? {
        guard let threadID = currentThreadID(), let current = currentNiceValue() else {
            return "the thread id could not be read from /proc/thread-self"
        }
        let lowered = min(maximumNiceValue, current + niceIncrement)
        guard setpriority(__priority_which_t(PRIO_PROCESS.rawValue), threadID, lowered) == 0 else {
            return String(cString: strerror(errno))
        }
        return nil
    }

    /// The calling thread's kernel id, read from the `/proc/thread-self` link (`<pid>/task/<tid>`),
    /// since Swift's Glibc module does not export `gettid`.
    static func currentThreadID() -> id_t? {
        var buffer = [CChar](repeating: 0, count: 64)
        let count = readlink("/proc/thread-self", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        let target = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return target.split(separator: "/").last.flatMap { id_t($0) }
    }

    /// The calling thread's nice value, or nil when it cannot be read.
    static func currentNiceValue() -> Int32? {
        guard let threadID = currentThreadID() else { return nil }
        errno = 0
        let value = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), threadID)
        return value == -1 && errno != 0 ? nil : value
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// Whether standard error is the journal's stream, so the daemon can log to journald natively.
///
/// systemd sets `JOURNAL_STREAM=<device>:<inode>` (decimal) for a service whose stdout or stderr
/// goes to the journal. systemd.exec(5) asks programs to compare it with `fstat(2)` of the
/// descriptor they log to: a child whose stderr was redirected inherits the variable but not the
/// stream.
public enum JournalStream {
    /// True when `JOURNAL_STREAM` names the very file standard error is open on.
    public static var isStandardErrorConnected: Bool {
        guard let value = getenv("JOURNAL_STREAM"), let stream = identity(parsing: String(cString: value)) else {
            return false
        }
        var status = stat()
        guard fstat(STDERR_FILENO, &status) == 0 else { return false }
        return stream.device == UInt64(status.st_dev) && stream.inode == UInt64(status.st_ino)
    }

    /// The device and inode numbers of a `JOURNAL_STREAM` value, or `nil` unless it is exactly
    /// two decimal numbers separated by one colon.
    static func identity(parsing value: String) -> (device: UInt64, inode: UInt64)? {
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2,
            parts.allSatisfy({ part in part.allSatisfy { $0.isASCII && $0.isNumber } }),
            let device = UInt64(parts[0]), let inode = UInt64(parts[1])
        else { return nil }
        return (device, inode)
    }
}

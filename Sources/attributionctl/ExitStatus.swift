import AttributionClient
import ArgumentParser

/// `attributionctl`'s exit statuses.
enum ExitStatus: Int32 {
    /// The command did what was asked.
    case success = 0
    /// The daemon answered with an error, the call failed, or a local file could not be used.
    case failure = 1
    /// The command line is wrong.
    case usage = 2
    /// The daemon cannot be reached (`EX_UNAVAILABLE` of sysexits.h): no socket, nobody
    /// listening, permission denied, or it went away mid-call.
    case unavailable = 69

    /// The status for an error thrown while running a subcommand.
    init(for error: any Error) {
        switch error {
        case is ValidationError: self = .usage
        case let error as ClientError:
            switch error {
            case .cannotConnect, .connectionClosed, .notConnected: self = .unavailable
            default: self = .failure
            }
        default: self = .failure
        }
    }
}

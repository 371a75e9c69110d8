import AttributionProtocol
import Indexing

/// Turns whatever a method threw into the JSON-RPC error its client gets: the daemon's own
/// typed errors keep their codes, anything unexpected becomes an internal error naming its cause.
enum RPCErrorMapping {
    /// The client's error for `error`.
    static func rpcError(for error: any Error) -> JSONRPCError {
        switch error {
        case let error as JSONRPCError:
            return error
        case let error as QueryError:
            return error.rpcError
        case let error as IndexingError:
            return QueryError(error)?.rpcError ?? JSONRPCError(.internalError, reason: "\(error)")
        case is CancellationError:
            return JSONRPCError(.timedOut, reason: "the request was cancelled before it was answered")
        default:
            return JSONRPCError(.internalError, reason: "\(error)")
        }
    }
}

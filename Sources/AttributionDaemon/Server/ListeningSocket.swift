/// Where the server listens.
public enum ListeningSocket: Sendable {
    /// Bind a Unix stream socket at a filesystem path and give it a permission mode (e.g. `0o660`:
    /// only the owner and group can connect).
    case path(String, mode: UInt16)
    /// Use a listening Unix stream socket passed by the service manager (socket activation). Once
    /// listening succeeds the server owns the descriptor and closes it when it stops; the socket's
    /// path belongs to the service manager and is left in place.
    case adopted(descriptor: CInt)
}

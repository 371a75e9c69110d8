import CSystemd

#if canImport(Glibc)
import Glibc
#endif

/// Adopting the listening socket a socket unit passes to its service (`sd_listen_fds(3)`).
public enum SocketActivation {
    /// The listening `AF_UNIX` stream socket passed by the service manager, or `nil` when none was
    /// passed to this process (no `LISTEN_PID`, or one naming another process).
    ///
    /// The descriptor is fd 3 (`SD_LISTEN_FDS_START`), already close-on-exec; the caller owns it.
    /// `LISTEN_PID`, `LISTEN_FDS` and `LISTEN_FDNAMES` are removed from the environment in every
    /// case, so a second call returns `nil` and child processes inherit nothing.
    ///
    /// - Throws: ``SystemdError/listenFDsInvalid(errno:)`` when the variables are malformed,
    ///   ``SystemdError/unexpectedListeningSocketCount(_:)`` when more than one descriptor was
    ///   passed, ``SystemdError/notAListeningUnixStreamSocket(fd:)`` when fd 3 is something else
    ///   (a datagram or TCP socket, a pipe), and ``SystemdError/socketInspectionFailed(fd:errno:)``
    ///   when fd 3 cannot be inspected. Passed descriptors are left open; the daemon is expected to
    ///   exit with the error.
    public static func takeListeningUnixSocket() throws(SystemdError) -> CInt? {
        let count = sd_listen_fds(1)
        if count < 0 { throw .listenFDsInvalid(errno: -count) }
        if count == 0 { return nil }
        guard count == 1 else { throw .unexpectedListeningSocketCount(Int(count)) }

        let descriptor = SD_LISTEN_FDS_START
        let check = sd_is_socket_unix(descriptor, Int32(SOCK_STREAM.rawValue), 1, nil, 0)
        if check < 0 { throw .socketInspectionFailed(fd: descriptor, errno: -check) }
        guard check > 0 else { throw .notAListeningUnixStreamSocket(fd: descriptor) }
        return descriptor
    }
}

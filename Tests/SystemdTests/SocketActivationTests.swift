import Testing

@testable import Systemd

#if canImport(Glibc)
import Glibc
#endif

extension SystemdEnvironmentTests {
    /// ``SocketActivation/takeListeningUnixSocket()`` in a child process that receives real
    /// descriptors at fd 3 with LISTEN_FDS and LISTEN_PID (see ``ActivatedProcess``), and in this
    /// process for the cases that pass no descriptor.
    @Suite struct PassedSocket {
        private let listenVariablesLeft = "left="

        @Test func adoptsAPassedListeningSocketAndAcceptsOnIt() throws {
            let outcome = try withSocketPath { path in
                let listener = try BoundSocket(type: Int32(SOCK_STREAM.rawValue), address: path, listening: true)
                return try ActivatedProcess.run(passing: [listener.descriptor], listenFDs: "1") {
                    // The connection waits in the backlog until the child accepts it.
                    let client = try connectedClient(to: path)
                    defer { close(client) }
                    #expect(write(client, "ping\n", 5) == 5)
                    var buffer = [UInt8](repeating: 0, count: 16)
                    var timeout = timeval(tv_sec: 30, tv_usec: 0)
                    setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                    let count = read(client, &buffer, buffer.count)
                    #expect(String(decoding: buffer[..<max(count, 0)], as: UTF8.self) == "ping\n")
                }
            }
            #expect(outcome.exitStatus == 0, "\(outcome.output)")
            #expect(outcome.report == ["result=fd 3", "cloexec=true", "second=nil", "echoed=5", listenVariablesLeft])
        }

        @Test func aPipeAtFdThreeIsRefused() throws {
            var ends: [CInt] = [0, 0]
            try check(pipe(&ends), "pipe")
            defer { ends.forEach { close($0) } }
            for end in ends { try check(fcntl(end, F_SETFD, FD_CLOEXEC), "fcntl(F_SETFD)") }
            let outcome = try ActivatedProcess.run(passing: [ends[0]], listenFDs: "1")
            #expect(outcome.exitStatus == 0, "\(outcome.output)")
            #expect(outcome.report == ["result=error \(SystemdError.notAListeningUnixStreamSocket(fd: 3))", listenVariablesLeft])
        }

        /// A datagram socket, and a stream socket that was bound but never told to listen.
        @Test(arguments: [Int32(SOCK_DGRAM.rawValue), Int32(SOCK_STREAM.rawValue)])
        func aSocketThatIsNotAListeningStreamIsRefused(type: Int32) throws {
            let outcome = try withSocketPath { path in
                let other = try BoundSocket(type: type, address: path, listening: false)
                return try ActivatedProcess.run(passing: [other.descriptor], listenFDs: "1")
            }
            #expect(outcome.exitStatus == 0, "\(outcome.output)")
            #expect(outcome.report == ["result=error \(SystemdError.notAListeningUnixStreamSocket(fd: 3))", listenVariablesLeft])
        }

        @Test func moreThanOnePassedSocketIsRefused() throws {
            let outcome = try withSocketPath { path in
                let first = try BoundSocket(type: Int32(SOCK_STREAM.rawValue), address: path, listening: true)
                let second = try BoundSocket(type: Int32(SOCK_STREAM.rawValue), address: path + "2", listening: true)
                return try ActivatedProcess.run(passing: [first.descriptor, second.descriptor], listenFDs: "2")
            }
            #expect(outcome.exitStatus == 0, "\(outcome.output)")
            #expect(outcome.report == ["result=error \(SystemdError.unexpectedListeningSocketCount(2))", listenVariablesLeft])
        }

        @Test func socketsForAnotherProcessAreIgnoredAndForgotten() throws {
            try withEnvironment(["LISTEN_FDS": "1", "LISTEN_PID": "\(getpid() + 1)", "LISTEN_FDNAMES": "rpc"]) {
                let taken = try SocketActivation.takeListeningUnixSocket()
                #expect(taken == nil)
                #expect(["LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES"].allSatisfy { environmentValue($0) == nil })
            }
        }

        @Test func nothingPassedMeansNil() throws {
            let taken = try withEnvironment(["LISTEN_FDS": nil, "LISTEN_PID": nil, "LISTEN_FDNAMES": nil]) {
                try SocketActivation.takeListeningUnixSocket()
            }
            #expect(taken == nil)
        }

        @Test func malformedListenFDsIsATypedError() throws {
            withEnvironment(["LISTEN_FDS": "one", "LISTEN_PID": "\(getpid())", "LISTEN_FDNAMES": nil]) {
                #expect(throws: SystemdError.listenFDsInvalid(errno: EINVAL)) {
                    try SocketActivation.takeListeningUnixSocket()
                }
            }
        }
    }
}

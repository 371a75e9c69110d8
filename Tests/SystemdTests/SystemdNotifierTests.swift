import Foundation
import Testing

@testable import Systemd

#if canImport(Glibc)
import Glibc
#endif

extension SystemdEnvironmentTests {
    /// `sd_notify` through ``SystemdNotifier`` into a real datagram socket named by NOTIFY_SOCKET.
    @Suite struct Notifier {
        /// Binds a datagram socket, points NOTIFY_SOCKET at it, sends `messages`, and returns the
        /// text of the datagram that arrived.
        private func deliver(_ messages: [NotifyMessage]) throws -> String {
            try withSocketPath { path in
                let receiver = try BoundSocket(type: Int32(SOCK_DGRAM.rawValue), address: path, listening: false)
                try withEnvironment(["NOTIFY_SOCKET": path]) {
                    let notifier = try #require(SystemdNotifier.fromEnvironment())
                    try notifier.send(messages)
                }
                return try receiver.receiveText()
            }
        }

        @Test func readyArrivesAsOneAssignment() throws {
            #expect(try deliver([.ready]) == "READY=1")
        }

        @Test func stoppingAndWatchdogArriveVerbatim() throws {
            #expect(try deliver([.stopping]) == "STOPPING=1")
            #expect(try deliver([.watchdog]) == "WATCHDOG=1")
        }

        @Test func reloadingCarriesTheMonotonicTime() throws {
            #expect(try deliver([.reloading(monotonicMicroseconds: 123_456_789)]) == "RELOADING=1\nMONOTONIC_USEC=123456789")
        }

        @Test func statusIsOneLineAndSharesTheDatagramWithReady() throws {
            let text = try deliver([.status("indexing\ncheckpoint 2000\r\nshard 3\0done"), .ready])
            #expect(text == "STATUS=indexing checkpoint 2000 shard 3 done\nREADY=1")
        }

        @Test func numericFieldsArriveInOrder() throws {
            let text = try deliver([.extendTimeout(microseconds: 30_000_000), .errno(ENOSPC), .mainPID(4242)])
            #expect(text == "EXTEND_TIMEOUT_USEC=30000000\nERRNO=\(ENOSPC)\nMAINPID=4242")
        }

        @Test func abstractSocketNamesWork() throws {
            let name = "@attributiond-notify-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            let receiver = try BoundSocket(type: Int32(SOCK_DGRAM.rawValue), address: name, listening: false)
            try withEnvironment(["NOTIFY_SOCKET": name]) {
                let notifier = try #require(SystemdNotifier.fromEnvironment())
                #expect(notifier.socketAddress == name)
                try notifier.send([.ready])
            }
            #expect(try receiver.receiveText() == "READY=1")
        }

        @Test func anEmptyListSendsNothing() throws {
            let texts = try withSocketPath { path in
                let receiver = try BoundSocket(type: Int32(SOCK_DGRAM.rawValue), address: path, listening: false)
                try withEnvironment(["NOTIFY_SOCKET": path]) {
                    let notifier = try #require(SystemdNotifier.fromEnvironment())
                    try notifier.send([])
                    try notifier.send([.watchdog])
                }
                return try receiver.receiveText()
            }
            #expect(texts == "WATCHDOG=1")
        }

        @Test func noNotifierWithoutNotifySocket() {
            withEnvironment(["NOTIFY_SOCKET": nil]) { #expect(SystemdNotifier.fromEnvironment() == nil) }
            withEnvironment(["NOTIFY_SOCKET": ""]) { #expect(SystemdNotifier.fromEnvironment() == nil) }
        }

        @Test func sendingToAMissingSocketIsATypedError() throws {
            try withSocketPath { path in
                try withEnvironment(["NOTIFY_SOCKET": path]) {
                    let notifier = try #require(SystemdNotifier.fromEnvironment())
                    #expect(throws: SystemdError.notifyFailed(message: "READY=1", errno: ENOENT)) { try notifier.send([.ready]) }
                }
            }
        }

        @Test func sendingAfterNotifySocketWasRemovedIsATypedError() throws {
            let notifier = try withEnvironment(["NOTIFY_SOCKET": "/nonexistent/notify"]) {
                try #require(SystemdNotifier.fromEnvironment())
            }
            withEnvironment(["NOTIFY_SOCKET": nil]) {
                #expect(throws: SystemdError.notifySocketUnset(message: "STOPPING=1")) { try notifier.send([.stopping]) }
            }
        }
    }
}

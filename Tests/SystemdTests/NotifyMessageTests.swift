import Testing

@testable import Systemd

/// The text of notification datagrams, without a socket.
struct NotifyMessageTests {
    @Test(arguments: [
        (NotifyMessage.ready, "READY=1"),
        (.stopping, "STOPPING=1"),
        (.watchdog, "WATCHDOG=1"),
        (.reloading(monotonicMicroseconds: 5), "RELOADING=1\nMONOTONIC_USEC=5"),
        (.status("ok"), "STATUS=ok"),
        (.extendTimeout(microseconds: 90_000_000), "EXTEND_TIMEOUT_USEC=90000000"),
        (.errno(28), "ERRNO=28"),
        (.mainPID(77), "MAINPID=77"),
    ])
    func assignments(message: NotifyMessage, text: String) {
        #expect(message.assignment == text)
    }

    @Test func statusLineBreaksBecomeSpaces() {
        #expect(NotifyMessage.status("a\nb\r\nc\rd\u{2028}e").assignment == "STATUS=a b c d e")
    }

    @Test func datagramJoinsWithNewlines() {
        #expect(NotifyMessage.datagram([.status("x"), .ready, .watchdog]) == "STATUS=x\nREADY=1\nWATCHDOG=1")
    }
}

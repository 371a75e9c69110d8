import Testing

@testable import Systemd

#if canImport(Glibc)
import Glibc
#endif

extension SystemdEnvironmentTests {
    /// ``Watchdog/interval()`` reading WATCHDOG_USEC and WATCHDOG_PID the way the service manager
    /// sets them.
    @Suite struct WatchdogInterval {
        @Test func intervalForThisProcess() {
            withEnvironment(["WATCHDOG_USEC": "300000000", "WATCHDOG_PID": "\(getpid())"]) {
                #expect(Watchdog.interval() == .seconds(300))
            }
        }

        @Test func intervalWithoutWatchdogPIDIsForThisProcess() {
            withEnvironment(["WATCHDOG_USEC": "2500", "WATCHDOG_PID": nil]) {
                #expect(Watchdog.interval() == .microseconds(2500))
            }
        }

        @Test func anotherProcessesWatchdogIsOff() {
            withEnvironment(["WATCHDOG_USEC": "300000000", "WATCHDOG_PID": "\(getpid() + 1)"]) {
                #expect(Watchdog.interval() == nil)
            }
        }

        @Test func offWithoutWatchdogUSec() {
            withEnvironment(["WATCHDOG_USEC": nil, "WATCHDOG_PID": "\(getpid())"]) {
                #expect(Watchdog.interval() == nil)
            }
        }

        @Test(arguments: ["soon", "0", "-5", ""])
        func malformedOrZeroIntervalIsOff(value: String) {
            withEnvironment(["WATCHDOG_USEC": value, "WATCHDOG_PID": "\(getpid())"]) {
                #expect(Watchdog.interval() == nil)
            }
        }

        @Test func theVariablesStayForLaterReads() {
            withEnvironment(["WATCHDOG_USEC": "1000000", "WATCHDOG_PID": "\(getpid())"]) {
                _ = Watchdog.interval()
                #expect(environmentValue("WATCHDOG_USEC") == "1000000")
                #expect(Watchdog.interval() == .seconds(1))
            }
        }
    }
}

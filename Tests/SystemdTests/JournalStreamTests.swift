import Testing

@testable import Systemd

#if canImport(Glibc)
import Glibc
#endif

/// Parsing `JOURNAL_STREAM` values.
struct JournalStreamParsingTests {
    @Test func deviceAndInode() throws {
        let identity = try #require(JournalStream.identity(parsing: "64769:1234567"))
        #expect(identity.device == 64769)
        #expect(identity.inode == 1_234_567)
    }

    @Test(arguments: ["", "12", "12:", ":34", "1:2:3", "a:b", "+1:2", " 1:2", "1:2 ", "1:-2", "18446744073709551616:1"])
    func malformedValuesAreRejected(value: String) {
        #expect(JournalStream.identity(parsing: value) == nil)
    }
}

extension SystemdEnvironmentTests {
    /// ``JournalStream/isStandardErrorConnected`` against the real `fstat(2)` of standard error.
    @Suite struct StandardErrorJournal {
        private func standardErrorIdentity() throws -> (device: UInt64, inode: UInt64) {
            var status = stat()
            try check(fstat(STDERR_FILENO, &status), "fstat")
            return (UInt64(status.st_dev), UInt64(status.st_ino))
        }

        @Test func connectedWhenJournalStreamNamesStandardError() throws {
            let identity = try standardErrorIdentity()
            withEnvironment(["JOURNAL_STREAM": "\(identity.device):\(identity.inode)"]) {
                #expect(JournalStream.isStandardErrorConnected)
            }
        }

        @Test func notConnectedWhenJournalStreamNamesAnotherFile() throws {
            let identity = try standardErrorIdentity()
            withEnvironment(["JOURNAL_STREAM": "\(identity.device):\(identity.inode + 1)"]) {
                #expect(!JournalStream.isStandardErrorConnected)
            }
            withEnvironment(["JOURNAL_STREAM": "\(identity.device + 1):\(identity.inode)"]) {
                #expect(!JournalStream.isStandardErrorConnected)
            }
        }

        @Test func notConnectedWithoutOrWithAGarbledJournalStream() {
            withEnvironment(["JOURNAL_STREAM": nil]) { #expect(!JournalStream.isStandardErrorConnected) }
            withEnvironment(["JOURNAL_STREAM": "journal"]) { #expect(!JournalStream.isStandardErrorConnected) }
        }
    }
}

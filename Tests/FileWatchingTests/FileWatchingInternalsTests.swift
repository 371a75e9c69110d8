@testable import FileWatching
import Glibc
import SystemPackage
import Testing

/// The pieces under the watcher: record parsing, the overflow-owing sink, name filtering, and
/// rebuilding the watch table after the kernel lost events.
@Suite struct FileWatchingInternalsTests {
    /// The bytes of one `inotify_event` with `name` NUL-padded to `paddedLength`.
    private func record(watch: Int32, mask: UInt32, name: String = "", paddedLength: Int = 0) -> [UInt8] {
        var bytes: [UInt8] = []
        withUnsafeBytes(of: watch.littleEndian) { bytes += $0 }
        withUnsafeBytes(of: mask.littleEndian) { bytes += $0 }
        withUnsafeBytes(of: UInt32(0)) { bytes += $0 }  // cookie
        withUnsafeBytes(of: UInt32(paddedLength).littleEndian) { bytes += $0 }
        var nameBytes = Array(name.utf8)
        nameBytes += [UInt8](repeating: 0, count: paddedLength - nameBytes.count)
        return bytes + nameBytes
    }

    @Test func recordsAreParsedWithTheirPaddedNames() {
        let bytes = record(watch: 3, mask: UInt32(IN_CLOSE_WRITE), name: "shard-00001.safetensors", paddedLength: 32)
            + record(watch: 1, mask: UInt32(IN_DELETE_SELF))
            + record(watch: 2, mask: UInt32(IN_CREATE | IN_ISDIR), name: "unet", paddedLength: 16)
        let records = bytes.withUnsafeBytes { InotifyRecord.parse($0) }
        #expect(records == [
            InotifyRecord(watch: 3, mask: .closeWrite, name: "shard-00001.safetensors"),
            InotifyRecord(watch: 1, mask: .deleteSelf, name: nil),
            InotifyRecord(watch: 2, mask: [.create, .isDirectory], name: "unet"),
        ])
    }

    @Test func truncatedAndMalformedRecordsAreNotTrusted() {
        let whole = record(watch: 1, mask: UInt32(IN_CLOSE_WRITE), name: "ok", paddedLength: 16)
        let badName = record(watch: 1, mask: UInt32(IN_CLOSE_WRITE), name: "..", paddedLength: 16)
        let claimsTooLongAName = Array(record(watch: 1, mask: UInt32(IN_CLOSE_WRITE), name: "cut", paddedLength: 64).prefix(30))
        let bytes = whole + badName + whole + claimsTooLongAName
        let records = bytes.withUnsafeBytes { InotifyRecord.parse($0) }
        let expected = InotifyRecord(watch: 1, mask: .closeWrite, name: "ok")
        #expect(records == [expected, expected])
        #expect(Array(whole.prefix(10)).withUnsafeBytes { InotifyRecord.parse($0) } == [])
    }

    @Test func temporaryNamesAreRecognised() {
        for name in [".checkpoint-400.tmp-123", ".shard.1234.ab.tmp", "x.tmp", "x.part", "x.partial", "x~", "x.swp", ".hidden"] {
            #expect(DirectoryWatcher.isTemporaryName(name), "\(name)")
        }
        for name in ["checkpoint-400", "shard-00001.safetensors", "config.json", "tmp", "partial-results", "unet"] {
            #expect(!DirectoryWatcher.isTemporaryName(name), "\(name)")
        }
    }

    @Test func theSinkOwesOneOverflowUntilThereIsRoomForIt() async {
        let (stream, continuation) = AsyncStream.makeStream(of: WatchEvent.self, bufferingPolicy: .bufferingOldest(2))
        var sink = EventSink(continuation: continuation)
        let first = WatchEvent.fileCompleted("/run/a"), second = WatchEvent.fileCompleted("/run/b")
        sink.send(first)
        sink.send(second)
        sink.send(.fileCompleted("/run/c"))
        #expect(sink.overflowPending)
        sink.send(.fileCompleted("/run/d"))

        var iterator = stream.makeAsyncIterator()
        #expect(await iterator.next() == first)
        #expect(await iterator.next() == second)
        sink.deliverPendingOverflow()
        #expect(!sink.overflowPending)
        let after = WatchEvent.removed("/run/e")
        sink.send(after)
        sink.finish()
        #expect(await iterator.next() == .overflow)
        #expect(await iterator.next() == after)
        #expect(await iterator.next() == nil)
    }

    @Test func aKernelOverflowRebuildsTheWatchTable() async throws {
        let tree = try TemporaryTree()
        try tree.makeDirectory("gone")
        let (stream, continuation) = AsyncStream.makeStream(of: WatchEvent.self)
        var session = try WatchSession.start(
            root: tree.root, maximumDepth: 2, isIgnored: DirectoryWatcher.isTemporaryName,
            sink: EventSink(continuation: continuation), stopSignal: StopSignal())
        defer { session.inotify.close() }
        #expect(Set(session.directories.values.map(\.path)) == [tree.root, tree.path("gone")])

        // Changes whose events the kernel dropped: only the rebuild can notice them.
        try tree.remove("gone")
        try tree.makeDirectory("late")
        try tree.makeDirectory("late/unet")
        try tree.makeDirectory(".hidden")
        session.handle(InotifyRecord(watch: -1, mask: .queueOverflow, name: nil))
        session.sink.finish()

        #expect(Set(session.directories.values.map(\.path)) == [tree.root, tree.path("late"), tree.path("late/unet")])
        var delivered: [WatchEvent] = []
        for await event in stream { delivered.append(event) }
        #expect(delivered == [.overflow])
    }
}

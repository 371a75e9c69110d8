import FileWatching
import Foundation
import SystemPackage
import Testing

/// Files written, renamed into place, linked, or given temporary names.
@Suite struct DirectoryWatcherFileTests {
    @Test func aFileWrittenAndClosedIsReportedOnce() async throws {
        let tree = try TemporaryTree()
        let watcher = try DirectoryWatcher(root: tree.root)
        let recorder = EventRecorder(watcher.events)

        let file = try tree.write("notes.txt", "hello")
        let sentinel = try tree.writeSentinel()

        let events = try #require(await recorder.take(until: .fileCompleted(sentinel)))
        #expect(events == [.fileCompleted(file)])
    }

    @Test func anAtomicWriteIsReportedUnderItsFinalNameOnly() async throws {
        let tree = try TemporaryTree()
        let watcher = try DirectoryWatcher(root: tree.root)
        let recorder = EventRecorder(watcher.events)
        try tree.makeDirectory("data")
        let sentinel = try tree.writeSentinel()
        #expect(await recorder.take(until: .fileCompleted(sentinel)) == [.directoryAppeared(tree.path("data"))])

        try tree.write("data/.shard-00001.safetensors.4242.a1b2.tmp", "tensor bytes")
        let shard = try tree.rename("data/.shard-00001.safetensors.4242.a1b2.tmp", to: "data/shard-00001.safetensors")
        try tree.write("data/heldout-00000.safetensors.part", "more bytes")
        let heldOut = try tree.rename("data/heldout-00000.safetensors.part", to: "data/heldout-00000.safetensors")
        let secondSentinel = try tree.writeSentinel()

        let events = try #require(await recorder.take(until: .fileCompleted(secondSentinel)))
        #expect(events == [.fileCompleted(shard), .fileCompleted(heldOut)])
    }

    @Test func temporaryAndHiddenNamesAreNeverReported() async throws {
        let tree = try TemporaryTree()
        let watcher = try DirectoryWatcher(root: tree.root)
        let recorder = EventRecorder(watcher.events)

        for name in [".hidden", "upload.tmp", "download.part", "model.partial", "notes.txt~", ".notes.txt.swp"] {
            try tree.write(name)
        }
        try tree.remove(".hidden")
        let sentinel = try tree.writeSentinel()

        #expect(await recorder.take(until: .fileCompleted(sentinel)) == [])
    }

    @Test func aSymbolicLinkCountsAsACompletedFile() async throws {
        let tree = try TemporaryTree()
        let target = try tree.write("target.bin")
        let watcher = try DirectoryWatcher(root: tree.root)
        let recorder = EventRecorder(watcher.events)

        let link = tree.path("link.bin")
        try FileManager.default.createSymbolicLink(atPath: link.string, withDestinationPath: target.string)
        let sentinel = try tree.writeSentinel()

        #expect(await recorder.take(until: .fileCompleted(sentinel)) == [.fileCompleted(link)])
    }
}

/// A root reached through a symbolic link, as a run directory often is.
@Suite struct DirectoryWatcherLinkedRootTests {
    @Test func aRootThatIsASymbolicLinkIsWatchedUnderTheGivenPath() async throws {
        let tree = try TemporaryTree()
        try tree.makeDirectory("real-run")
        let linked = tree.path("run")
        try FileManager.default.createSymbolicLink(atPath: linked.string, withDestinationPath: tree.path("real-run").string)
        let watcher = try DirectoryWatcher(root: linked)
        let recorder = EventRecorder(watcher.events)

        try tree.write("real-run/shard-00000.safetensors")
        try tree.write("real-run/sentinel")

        let sentinel = linked.appending("sentinel")
        #expect(await recorder.take(until: .fileCompleted(sentinel)) == [.fileCompleted(linked.appending("shard-00000.safetensors"))])
    }
}

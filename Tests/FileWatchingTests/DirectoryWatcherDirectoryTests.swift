import FileWatching
import SystemPackage
import Testing

/// Directories renamed into place, filled in place, moved, too deep, or ignored.
@Suite struct DirectoryWatcherDirectoryTests {
    @Test func aCheckpointBuiltUnderATemporaryNameAndRenamedIsReportedWhole() async throws {
        let tree = try TemporaryTree()
        let watcher = try DirectoryWatcher(root: tree.root)
        let recorder = EventRecorder(watcher.events)

        try tree.makeDirectory(".checkpoint-400.tmp-123")
        try tree.makeDirectory(".checkpoint-400.tmp-123/unet")
        try tree.makeDirectory(".checkpoint-400.tmp-123/scheduler")
        try tree.write(".checkpoint-400.tmp-123/unet/diffusion_pytorch_model.safetensors", "weights")
        try tree.write(".checkpoint-400.tmp-123/unet/config.json", "{}")
        try tree.write(".checkpoint-400.tmp-123/scheduler/scheduler_config.json", "{}")
        let checkpoint = try tree.rename(".checkpoint-400.tmp-123", to: "checkpoint-400")
        let sentinel = try tree.writeSentinel()

        let events = try #require(await recorder.take(until: .fileCompleted(sentinel)))
        #expect(events == [
            .directoryAppeared(checkpoint),
            .directoryAppeared(tree.path("checkpoint-400/scheduler")),
            .fileCompleted(tree.path("checkpoint-400/scheduler/scheduler_config.json")),
            .directoryAppeared(tree.path("checkpoint-400/unet")),
            .fileCompleted(tree.path("checkpoint-400/unet/config.json")),
            .fileCompleted(tree.path("checkpoint-400/unet/diffusion_pytorch_model.safetensors")),
        ])

        let late = try tree.write("checkpoint-400/unet/late.bin")
        let secondSentinel = try tree.writeSentinel()
        #expect(await recorder.take(until: .fileCompleted(secondSentinel)) == [.fileCompleted(late)])
    }

    @Test func aDirectoryCreatedAndFilledInPlaceIsFullySeen() async throws {
        let tree = try TemporaryTree()
        let watcher = try DirectoryWatcher(root: tree.root)
        let recorder = EventRecorder(watcher.events)

        // No pause between creating a directory and writing into it: the files may land before
        // the watch does, and the scan after adding it must catch them.
        let checkpoint = try tree.makeDirectory("checkpoint-500")
        let unet = try tree.makeDirectory("checkpoint-500/unet")
        let files = [
            try tree.write("checkpoint-500/unet/config.json", "{}"),
            try tree.write("checkpoint-500/unet/diffusion_pytorch_model.safetensors", "weights"),
            try tree.write("checkpoint-500/training_state.json", "{}"),
        ]
        let sentinel = try tree.writeSentinel()

        let events = try #require(await recorder.take(until: .fileCompleted(sentinel)))
        let expected = Set([WatchEvent.directoryAppeared(checkpoint), .directoryAppeared(unet)] + files.map(WatchEvent.fileCompleted))
        #expect(Set(events) == expected)
        #expect(events.first == .directoryAppeared(checkpoint))
    }

    @Test func aDirectoryMovedWithinTheTreeIsReportedUnderItsNewPath() async throws {
        let tree = try TemporaryTree()
        try tree.makeDirectory("checkpoint-100")
        try tree.makeDirectory("checkpoint-100/unet")
        try tree.write("checkpoint-100/unet/config.json", "{}")
        let watcher = try DirectoryWatcher(root: tree.root)
        let recorder = EventRecorder(watcher.events)

        let archive = try tree.rename("checkpoint-100", to: "archive-100")
        let sentinel = try tree.writeSentinel()
        #expect(await recorder.take(until: .fileCompleted(sentinel)) == [
            .removed(tree.path("checkpoint-100")),
            .directoryAppeared(archive),
            .directoryAppeared(tree.path("archive-100/unet")),
            .fileCompleted(tree.path("archive-100/unet/config.json")),
        ])

        let late = try tree.write("archive-100/unet/late.bin")
        let secondSentinel = try tree.writeSentinel()
        #expect(await recorder.take(until: .fileCompleted(secondSentinel)) == [.fileCompleted(late)])
    }

    @Test func directoriesBelowTheDepthLimitAreNeitherWatchedNorReported() async throws {
        let tree = try TemporaryTree()
        try tree.makeDirectory("a")
        try tree.makeDirectory("a/b")
        let watcher = try DirectoryWatcher(root: tree.root, maximumDepth: 1)
        let recorder = EventRecorder(watcher.events)

        let top = try tree.write("a/top.txt")
        try tree.write("a/b/deep.txt")
        try tree.makeDirectory("a/new")
        try tree.write("a/new/deep.txt")
        let created = try tree.makeDirectory("c")
        let inCreated = try tree.write("c/level-one.txt")
        try tree.makeDirectory("c/d")
        try tree.write("c/d/deep.txt")
        let sentinel = try tree.writeSentinel()

        let events = try #require(await recorder.take(until: .fileCompleted(sentinel)))
        #expect(events == [.fileCompleted(top), .directoryAppeared(created), .fileCompleted(inCreated)])
    }

    @Test func ignoredDirectoriesAreNotDescended() async throws {
        let tree = try TemporaryTree()
        try tree.makeDirectory(".cache")
        try tree.makeDirectory("skipped")
        let watcher = try DirectoryWatcher(root: tree.root) { name in
            name.hasPrefix("skip") || DirectoryWatcher.isTemporaryName(name)
        }
        let recorder = EventRecorder(watcher.events)

        try tree.write(".cache/blob")
        try tree.write("skipped/blob")
        try tree.makeDirectory("skip-too")
        try tree.write("skip-too/blob")
        try tree.makeDirectory(".staging")
        try tree.makeDirectory(".staging/unet")
        try tree.write(".staging/unet/blob")
        let kept = try tree.write("kept")
        let sentinel = try tree.writeSentinel()

        #expect(await recorder.take(until: .fileCompleted(sentinel)) == [.fileCompleted(kept)])
    }
}

@testable import FileWatching
import Foundation
import SystemPackage
import Testing

/// Removals, stopping, start-up errors, and bursts beyond the buffer.
@Suite struct DirectoryWatcherLifecycleTests {
    @Test func deletedAndMovedAwayEntriesAreReportedOnceEach() async throws {
        let tree = try TemporaryTree()
        let elsewhere = try TemporaryTree()
        try tree.makeDirectory("checkpoint-100")
        try tree.makeDirectory("checkpoint-100/unet")
        try tree.write("checkpoint-100/unet/config.json")
        try tree.write("checkpoint-100/unet/weights.safetensors")
        try tree.write("shard.safetensors")
        try tree.write("moving.safetensors")
        let watcher = try DirectoryWatcher(root: tree.root)
        let recorder = EventRecorder(watcher.events)

        try tree.remove("shard.safetensors")
        let moving = tree.path("moving.safetensors")
        #expect(rename(moving.string, elsewhere.path("moved").string) == 0)
        try tree.remove("checkpoint-100")
        let sentinel = try tree.writeSentinel()

        let events = try #require(await recorder.take(until: .fileCompleted(sentinel)))
        let expected = ["shard.safetensors", "moving.safetensors", "checkpoint-100", "checkpoint-100/unet",
                        "checkpoint-100/unet/config.json", "checkpoint-100/unet/weights.safetensors"]
        #expect(events.count == expected.count)
        #expect(Set(events) == Set(expected.map { WatchEvent.removed(tree.path($0)) }))
        #expect(Array(events.prefix(2)) == [.removed(tree.path("shard.safetensors")), .removed(moving)])
    }

    @Test func theRootBeingDeletedIsReported() async throws {
        let tree = try TemporaryTree()
        try tree.makeDirectory("data")
        let watcher = try DirectoryWatcher(root: tree.root)
        let recorder = EventRecorder(watcher.events)

        try FileManager.default.removeItem(atPath: tree.root.string)

        let events = try #require(await recorder.wait { events, _ in events.contains(.removed(tree.root)) })
        #expect(events == [.removed(tree.path("data")), .removed(tree.root)])
    }

    @Test func theRootBeingMovedIsReportedAsRemoved() async throws {
        let tree = try TemporaryTree()
        let watcher = try DirectoryWatcher(root: tree.root)
        let recorder = EventRecorder(watcher.events)
        let moved = FilePath(tree.root.string + "-moved")
        defer { try? FileManager.default.removeItem(atPath: moved.string) }

        #expect(rename(tree.root.string, moved.string) == 0)

        let events = try #require(await recorder.wait { events, _ in events.contains(.removed(tree.root)) })
        #expect(events == [.removed(tree.root)])
    }

    @Test func stopFinishesTheStreamPromptlyAndIsIdempotent() async throws {
        let tree = try TemporaryTree()
        let watcher = try DirectoryWatcher(root: tree.root)
        let recorder = EventRecorder(watcher.events)
        let sentinel = try tree.writeSentinel()
        #expect(await recorder.take(until: .fileCompleted(sentinel)) == [])

        let stopped = ContinuousClock.now
        watcher.stop()
        watcher.stop()
        #expect(await recorder.wait(timeout: .seconds(2)) { _, finished in finished } != nil)
        #expect(ContinuousClock.now - stopped < .seconds(2))
        watcher.stop()

        try tree.write("after-stop")
        try await Task.sleep(for: .milliseconds(50))
        #expect(recorder.events == [.fileCompleted(sentinel)])
    }

    @Test func releasingTheWatcherStopsIt() async throws {
        let tree = try TemporaryTree()
        let recorder: EventRecorder
        do {
            let watcher = try DirectoryWatcher(root: tree.root)
            recorder = EventRecorder(watcher.events)
        }
        #expect(await recorder.wait(timeout: .seconds(2)) { _, finished in finished } != nil)
    }

    @Test func aMissingRootIsATypedError() throws {
        let tree = try TemporaryTree()
        let missing = tree.path("does-not-exist")
        do {
            _ = try DirectoryWatcher(root: missing)
            Issue.record("watching a missing directory succeeded")
        } catch {
            guard case .rootMissing(let path) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(path == missing)
            #expect(error.description.contains(missing.string))
        }
    }

    @Test func aFileAsRootIsATypedError() throws {
        let tree = try TemporaryTree()
        let file = try tree.write("plain-file")
        do {
            _ = try DirectoryWatcher(root: file)
            Issue.record("watching a file succeeded")
        } catch {
            guard case .notADirectory(let path) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(path == file)
        }
    }

    @Test func theWatchLimitErrorNamesTheSettingToRaise() {
        let error = FileWatchingError.tooManyWatches(FilePath("/srv/run/checkpoint-9"))
        #expect(error.description.contains("/srv/run/checkpoint-9"))
        #expect(error.description.contains("fs.inotify.max_user_watches"))
    }

    @Test func aBurstBeyondTheBufferEndsInOneOverflowAndBoundedMemory() async throws {
        let tree = try TemporaryTree()
        let bufferLimit = 16
        let watcher = try DirectoryWatcher(
            root: tree.root, maximumDepth: 1, isIgnored: DirectoryWatcher.isTemporaryName, bufferLimit: bufferLimit)

        let recorder = EventRecorder(watcher.events, paused: true)

        // Nobody reads while a thousand files are written: the buffer fills, the rest is dropped.
        let burst = 1_000
        for index in 0..<burst { try tree.write("small-\(index)") }
        try await Task.sleep(for: .milliseconds(500))
        recorder.resume()

        let received = try #require(await recorder.wait(timeout: .seconds(10)) { events, _ in events.contains(.overflow) })
        let beforeOverflow = received.prefix { $0 != .overflow }
        #expect(beforeOverflow.count <= bufferLimit)
        #expect(beforeOverflow.allSatisfy { if case .fileCompleted = $0 { true } else { false } })

        // Events flow again once the consumer keeps up. Until then (the watcher thread may still
        // be reading the burst) a new event can be dropped again, but never without an overflow
        // after it.
        var delivered = false
        for _ in 0..<10 where !delivered {
            let mark = recorder.events.count
            let sentinel = try tree.writeSentinel()
            let events = try #require(await recorder.wait(timeout: .seconds(10)) { events, _ in
                events.dropFirst(mark).contains(.fileCompleted(sentinel)) || events.dropFirst(mark).contains(.overflow)
            })
            delivered = events.dropFirst(mark).contains(.fileCompleted(sentinel))
        }
        #expect(delivered)
        #expect(recorder.events.count < burst)
    }
}

import DiffusionModel
import Foundation
import Numerics
import SafeTensors

/// A training run folder that tests fill the way the trainer does, while a daemon watches it:
/// shards of random 8×8 RGB images written under a hidden name and renamed into `data/`, and
/// checkpoints of a tiny UNet built in a hidden folder and renamed to `checkpoint-<step>/`.
///
/// Everything lives in one fresh temporary folder (`root`) that also holds the store, the
/// configuration and the daemon's log; `remove()` deletes it.
struct TinyRun {
    /// The test's temporary folder.
    let root: URL

    /// Examples per training shard unless a test asks for another count.
    static let examplesPerShard = 6
    /// Contributor ids cycle over these names.
    static let contributorNames: [Int64: String] = [0: "alice", 1: "bob", 2: "carol"]
    /// Image channels, height and width of the examples and of the model.
    static let imageShape = [3, 8, 8]

    /// A UNet of a few thousand parameters (channels `[4, 8]` unless asked otherwise): fast
    /// enough for a debug build to index in seconds.
    static func modelConfig(channels: [Int] = [4, 8]) throws -> UNet2DConfig {
        try UNet2DConfig(
            sampleSize: 8, inChannels: 3, outChannels: 3, downBlockTypes: [.downBlock2D, .attnDownBlock2D],
            upBlockTypes: [.attnUpBlock2D, .upBlock2D], blockOutChannels: channels, layersPerBlock: 1,
            attentionHeadDim: 4, normNumGroups: 2, resnetTimeScaleShift: .scaleShift)
    }

    /// A fresh, empty run (`run/data/` exists, nothing in it).
    static func make() throws -> TinyRun {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("daemon-process-\(UUID().uuidString)")
        let run = TinyRun(root: root)
        try FileManager.default.createDirectory(at: run.dataFolder, withIntermediateDirectories: true)
        return run
    }

    /// The training run folder the daemon watches.
    var folder: URL { root.appendingPathComponent("run") }
    /// Its data folder.
    var dataFolder: URL { folder.appendingPathComponent("data") }
    /// Where the daemon keeps its store.
    var storeFolder: URL { root.appendingPathComponent("store") }

    /// The ids of training shard `number`: `number * 1000 + row`, unique across shards.
    static func ids(ofShard number: Int, count: Int = examplesPerShard) -> [Int64] {
        (0..<count).map { Int64(number * 1000 + $0) }
    }

    /// Writes training shard `number` atomically and returns its ids.
    @discardableResult
    func addShard(_ number: Int, count: Int = examplesPerShard) throws -> [Int64] {
        let ids = Self.ids(ofShard: number, count: count)
        try Self.shard(ids: ids, seed: UInt64(number)).write(to: shardURL(.training, number), asUInt8: false)
        return ids
    }

    /// Writes held-out shard `number` (ids from 900 000 on) atomically and returns its ids.
    @discardableResult
    func addHeldOutShard(_ number: Int, count: Int = examplesPerShard) throws -> [Int64] {
        let ids = (0..<count).map { Int64(900_000 + number * 1000 + $0) }
        try Self.shard(ids: ids, seed: 0xBEEF + UInt64(number)).write(to: shardURL(.heldOut, number), asUInt8: false)
        return ids
    }

    /// Writes `checkpoint-<step>/` atomically: a freshly initialised tiny UNet (seeded by the
    /// step) and the default DDPM scheduler, as the trainer lays it out.
    func addCheckpoint(step: Int) throws {
        try Self.writeCheckpoint(step: step, into: folder)
    }

    /// Writes `checkpoint-<step>/` of the tiny UNet into the run folder `run`.
    @discardableResult
    static func writeCheckpoint(step: Int, into run: URL) throws -> URL {
        try CheckpointWriter(run: run).write(
            step: step, model: UNet2DModel(config: modelConfig(), seed: UInt64(step)), averagedModel: nil,
            schedulerConfig: DDPMSchedulerConfig(), trainingState: nil)
    }

    /// The file name of training shard `number`.
    static func shardName(_ number: Int) -> String {
        DataShardFileName.name(.training, number: number)
    }

    /// The URL of shard `number` of `kind`.
    func shardURL(_ kind: DataShardFileName.Kind, _ number: Int) -> URL {
        dataFolder.appendingPathComponent(DataShardFileName.name(kind, number: number))
    }

    /// Writes `bytes` to `url` as the trainer does: a hidden file in the same folder, renamed
    /// into place once complete.
    static func writeAtomically(_ bytes: [UInt8], to url: URL) throws {
        let hidden = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        try Data(bytes).write(to: hidden)
        guard rename(hidden.path, url.path) == 0 else { throw TestFailure("cannot rename \(hidden.path): \(String(cString: strerror(errno)))") }
    }

    /// A valid shard of random images for `ids`, contributors cycling over three names.
    static func shard(ids: [Int64], seed: UInt64) throws -> DataShard {
        try DataShard(
            images: Tensor(shape: [ids.count] + imageShape, scalars: randomPixels(count: ids.count, seed: seed)),
            ids: ids, contributors: ids.map { $0 % 3 }, contributorNames: contributorNames)
    }

    /// `count` random images' values in [-1, 1], deterministic in `seed`.
    static func randomPixels(count: Int, seed: UInt64) -> [Float] {
        var generator = SeededGenerator(keys: 0xDAE3, seed)
        return (0..<(count * imageShape.reduce(1, *))).map { _ in generator.nextUniform() * 2 - 1 }
    }

    /// Query samples `[count, 3, 8, 8]` for `attribute`, sent inline.
    static func inlineSamples(count: Int) -> [Float] {
        randomPixels(count: count, seed: 0x5A5A)
    }

    /// Deletes the whole temporary folder.
    func remove() {
        try? FileManager.default.removeItem(at: root)
    }
}

/// A failure of the test fixture itself (a file it could not write, a process it could not
/// start), with the reason.
struct TestFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}

import AttributionStore
import Foundation
import Synchronization

/// The benchmark's work folder: where each cached artefact lives, and a stamp per artefact
/// (`stamps.json`: the fingerprint of the settings it was made with and the seconds it took),
/// so a rerun reuses exactly what its settings would make again and still reports its cost.
final class ShapleyBenchmarkWork: Sendable {
    /// A cached artefact's fingerprint and the compute seconds it took to make.
    struct Stamp: Sendable, Codable, Equatable {
        var fingerprint: String
        var seconds: Double
    }

    /// The work folder.
    let folder: URL
    /// Whether this run ignores what earlier runs left (stamps and memo files).
    let fresh: Bool
    private let stamps: Mutex<[String: Stamp]>

    /// The work folder `folder` (created if missing); `fresh` forgets every stamp, so everything
    /// is made again.
    init(folder: URL, fresh: Bool) throws {
        self.folder = folder
        self.fresh = fresh
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("stamps.json")
        var loaded: [String: Stamp] = [:]
        if !fresh, FileManager.default.fileExists(atPath: file.path) {
            loaded = try JSONDecoder().decode([String: Stamp].self, from: Data(contentsOf: file))
        }
        stamps = Mutex(loaded)
    }

    /// The training run: `data/` with the shards and the full model's checkpoints.
    var run: URL { folder.appendingPathComponent("run") }
    /// The attribution store of the full model.
    var store: URL { folder.appendingPathComponent("store") }
    /// The pruned and recovered model.
    var prunedModel: URL { folder.appendingPathComponent("pruned-model.safetensors") }

    /// The memo of the game named `game` (`coalitions-<game>.json`), keeping earlier values made
    /// under `fingerprint` unless the run is fresh.
    func memo(game: String, fingerprint: String, properties: [String]) throws -> ShapleyBenchmarkMemo {
        let url = folder.appendingPathComponent("coalitions-\(game).json")
        if fresh { try remove(url) }
        return try ShapleyBenchmarkMemo(game: game, url: url, fingerprint: fingerprint, properties: properties)
    }

    /// The seconds recorded for `artefact` when its stamp matches `fingerprint`, else nil.
    func currentSeconds(_ artefact: String, fingerprint: String) -> Double? {
        stamps.withLock { $0[artefact] }.flatMap { $0.fingerprint == fingerprint ? $0.seconds : nil }
    }

    /// Records that `artefact` was made under `fingerprint` in `seconds`, and saves the stamps.
    func stamp(_ artefact: String, fingerprint: String, seconds: Double) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try stamps.withLock { stamps in
            stamps[artefact] = Stamp(fingerprint: fingerprint, seconds: seconds)
            return try encoder.encode(stamps)
        }
        try data.write(to: folder.appendingPathComponent("stamps.json"), options: .atomic)
    }

    /// Removes `url` if it exists.
    func remove(_ url: URL) throws {
        if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
    }

    /// A short, stable name for the settings an artefact depends on.
    static func fingerprint(_ parts: [String]) -> String { FNV1a64.hexDigest(of: parts) }

    /// `value` as JSON with sorted keys, for fingerprints.
    static func describe(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "\(value)"
    }
}

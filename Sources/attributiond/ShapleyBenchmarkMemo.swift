import ContributorValuation
import Foundation
import Shapley
import Synchronization

/// The values of one game's evaluated coalitions with what each cost, saved to a JSON file after
/// every new value, so an interrupted benchmark keeps what it has computed. The file carries
/// the game's fingerprint; a file made under other settings is ignored.
final class ShapleyBenchmarkMemo: Sendable {
    /// One evaluated coalition.
    struct Entry: Sendable, Codable {
        /// The coalition's mask (``Shapley/Coalition/bits``).
        var bits: UInt64
        /// One value per property.
        var values: [Double]
        /// Seconds spent training the coalition's model and measuring it.
        var trainingSeconds: Double
        var measuringSeconds: Double
        enum CodingKeys: String, CodingKey {
            case bits, values, trainingSeconds = "training_seconds", measuringSeconds = "measuring_seconds"
        }
    }

    private struct File: Codable {
        var fingerprint: String
        var properties: [String]
        var coalitions: [Entry]
    }

    /// The game's name (in logs and the file name).
    let game: String
    private let url: URL
    private let fingerprint: String
    private let properties: [String]
    private let entries: Mutex<[UInt64: Entry]>

    /// The memo of `game` in `url`, keeping the file's entries when it was made under `fingerprint`.
    init(game: String, url: URL, fingerprint: String, properties: [String]) throws {
        self.game = game
        self.url = url
        self.fingerprint = fingerprint
        self.properties = properties
        var loaded: [UInt64: Entry] = [:]
        if FileManager.default.fileExists(atPath: url.path) {
            let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: url))
            if file.fingerprint == fingerprint, file.properties == properties {
                for entry in file.coalitions { loaded[entry.bits] = entry }
            }
        }
        entries = Mutex(loaded)
    }

    /// Number of coalitions evaluated.
    var count: Int { entries.withLock { $0.count } }

    /// Whether `coalition` has a value.
    func contains(_ coalition: Coalition) -> Bool { entries.withLock { $0[coalition.bits] != nil } }

    /// The values of `coalition`, if evaluated.
    func values(of coalition: Coalition) -> [Double]? { entries.withLock { $0[coalition.bits]?.values } }

    /// Compute seconds (training and measuring) spent on `coalitions`, each counted once.
    func seconds(of coalitions: some Sequence<Coalition>) -> Double {
        let unique = Set(coalitions.map(\.bits))
        return entries.withLock { entries in
            unique.reduce(0) { $0 + (entries[$1].map { $0.trainingSeconds + $0.measuringSeconds } ?? 0) }
        }
    }

    /// Compute seconds spent on every evaluated coalition.
    var totalSeconds: Double { entries.withLock { $0.values.reduce(0) { $0 + $1.trainingSeconds + $1.measuringSeconds } } }

    /// The memo as the estimators' coalition table.
    func coalitionValues() throws -> CoalitionValues {
        let sorted = entries.withLock { $0.values.sorted { $0.bits < $1.bits } }
        return try CoalitionValues(properties: properties.count, entries: sorted.map { (Coalition(bits: $0.bits), $0.values) })
    }

    /// Records `coalition`'s values and cost, and saves the file.
    func record(_ values: [Double], for coalition: Coalition, cost: ValuationCost) throws {
        let entry = Entry(bits: coalition.bits, values: values, trainingSeconds: cost.trainingSeconds, measuringSeconds: cost.measuringSeconds)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try entries.withLock { entries in
            entries[coalition.bits] = entry
            let file = File(fingerprint: fingerprint, properties: properties, coalitions: entries.values.sorted { $0.bits < $1.bits })
            try encoder.encode(file).write(to: url, options: .atomic)
        }
    }
}
